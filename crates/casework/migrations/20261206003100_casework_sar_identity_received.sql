-- Subject access: the month runs from receipt of the request, or, when the office asks for
-- (further) proof of identity, from when that proof arrives (UK GDPR art. 12(3); the ICO's
-- guidance) -- never from when an officer gets round to confirming it.
ALTER TABLE casework_information_request ADD COLUMN identity_asked_on TEXT;
ALTER TABLE casework_information_request ADD COLUMN identity_received_on TEXT;

-- Online requests carry their proof with them: it arrived with the request.
UPDATE casework_information_request SET identity_received_on = received_on WHERE kind = 'sar' AND channel = 'online';
-- Otherwise the best date known is the confirmation's, which the clock ran from until now.
UPDATE casework_information_request SET identity_received_on = identity_confirmed_on
    WHERE kind = 'sar' AND identity_received_on IS NULL AND identity_confirmed_on IS NOT NULL;
