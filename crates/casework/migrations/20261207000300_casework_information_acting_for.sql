-- A subject access request made by someone acting for the person it is about (a parent, a
-- solicitor, an attorney): whom it is about, and how the requester acts for them. Their
-- authority arrives with the proof of identity; both are checked before anything is released.
ALTER TABLE casework_information_request ADD COLUMN acting_for TEXT;
ALTER TABLE casework_information_request ADD COLUMN acting_as TEXT;
