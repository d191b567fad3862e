-- A saved scenario may carry the idempotency key of the request that saved it, so a retried
-- save or a double click on the bot's "Save" button records one scenario (the first answers).
ALTER TABLE scenarios ADD COLUMN idempotency_key text UNIQUE
  CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 255);
