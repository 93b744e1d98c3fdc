-- The table examples/instamed-to-postgres.json writes to: one row per InstaMed event, keyed by
-- the trigger's eventKey, so a re-delivery is stored once (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE IF NOT EXISTS instamed_events (
  id bigserial PRIMARY KEY,
  event_key text NOT NULL UNIQUE,
  trigger text NOT NULL,
  transaction_id text,
  original_transaction_id text,
  amount_cents bigint,
  format text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL
);
