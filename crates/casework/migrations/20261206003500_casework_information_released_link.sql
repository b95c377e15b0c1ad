-- The private link to the documents released with a response too large to attach to the email:
-- it works without an account, and every download through it is in the audit log.
ALTER TABLE casework_information_request ADD COLUMN released_token TEXT;
CREATE UNIQUE INDEX casework_information_request_released_token ON casework_information_request (released_token);
