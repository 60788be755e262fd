-- Card payments through Stripe Checkout: a vendor connects its own Stripe account (its keys,
-- sealed with the platform's PAYMENT_SECRETS_KEY before they are stored), an order paid by
-- card remembers its Checkout Session, and every webhook event a vendor's account sends is
-- recorded once, so a redelivered event changes nothing.
CREATE TABLE payment_accounts (
  vendor_id BIGINT PRIMARY KEY REFERENCES vendors (id) ON DELETE CASCADE,
  provider TEXT NOT NULL DEFAULT 'stripe' CHECK (provider = 'stripe'),
  -- AES-256-GCM: a 12-byte nonce followed by the ciphertext and its tag.
  secret_key_sealed BYTEA NOT NULL,
  webhook_secret_sealed BYTEA NOT NULL,
  -- The key's last four characters, to tell which key is connected.
  key_hint TEXT NOT NULL CHECK (length(key_hint) BETWEEN 1 AND 8),
  live_mode BOOLEAN NOT NULL,
  connected_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE payment_events (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
  event_type TEXT NOT NULL CHECK (length(event_type) BETWEEN 1 AND 100),
  order_number TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('paid', 'already_paid', 'ignored')),
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT payment_events_vendor_event_key UNIQUE (vendor_id, event_id)
);

ALTER TABLE orders DROP CONSTRAINT orders_payment_method_check;
ALTER TABLE orders
  ADD CONSTRAINT orders_payment_method_check
    CHECK (payment_method IN ('bank_transfer', 'cash_on_pickup', 'card')),
  ADD COLUMN card_session_id TEXT CHECK (length(card_session_id) BETWEEN 1 AND 255);

DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_accounts', 'payment_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_wall ON %I USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id))', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON payment_accounts TO wizamart_app;
GRANT SELECT, INSERT ON payment_events TO wizamart_app;

-- Card orders whose payment never came are cancelled (their units back on sale) by a platform
-- job that queues its own next run (orders::CardExpiryJob); this is its first run.
INSERT INTO jobs (kind, max_attempts) VALUES ('orders.expire_card_payments', 100);
