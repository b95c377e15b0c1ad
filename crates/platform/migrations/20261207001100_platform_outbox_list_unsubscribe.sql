-- Where a message that people asked for (email updates) can be stopped in one click: sent as the
-- List-Unsubscribe and List-Unsubscribe-Post headers (RFC 8058). Empty for every other message.
ALTER TABLE platform_outbox ADD COLUMN list_unsubscribe TEXT;
