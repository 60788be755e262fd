-- Shop carts, orders and their history. Vendor-owned: the tenant wall applies to each table.

-- A cart lives under an opaque random session (only its hash is kept) and may belong to a
-- signed-in customer (one cart each: signing in merges the guest's cart into it).
CREATE TABLE carts (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  session_hash TEXT NOT NULL,
  customer_id BIGINT,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT carts_vendor_session_key UNIQUE (vendor_id, session_hash),
  CONSTRAINT carts_vendor_id_id_key UNIQUE (vendor_id, id),
  FOREIGN KEY (vendor_id, customer_id) REFERENCES customers (vendor_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX carts_one_per_customer ON carts (vendor_id, customer_id) WHERE customer_id IS NOT NULL;
-- The clean-up job finds abandoned carts by expiry.
CREATE INDEX carts_expiry ON carts (expires_at);

CREATE TABLE cart_items (
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  cart_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (cart_id, product_id),
  FOREIGN KEY (vendor_id, cart_id) REFERENCES carts (vendor_id, id) ON DELETE CASCADE,
  FOREIGN KEY (vendor_id, product_id) REFERENCES products (vendor_id, id) ON DELETE CASCADE
);

-- Each vendor's order numbers count up from 1 (`LUX-000001`); the row is locked by the
-- checkout that takes the next number, last in its transaction.
CREATE TABLE order_counters (
  vendor_id BIGINT PRIMARY KEY REFERENCES vendors (id) ON DELETE CASCADE,
  last_number BIGINT NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

CREATE TABLE orders (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  order_number TEXT NOT NULL CHECK (length(order_number) BETWEEN 1 AND 40),
  customer_id BIGINT,
  email TEXT NOT NULL CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded')),
  payment_status TEXT NOT NULL DEFAULT 'unpaid'
    CHECK (payment_status IN ('unpaid', 'paid', 'refunded', 'partially_refunded')),
  payment_method TEXT NOT NULL CHECK (payment_method IN ('bank_transfer', 'cash_on_pickup')),
  shipping_method TEXT NOT NULL CHECK (shipping_method IN ('delivery', 'pickup')),
  currency CHAR(3) NOT NULL,
  subtotal_cents BIGINT NOT NULL CHECK (subtotal_cents >= 0),
  shipping_cents BIGINT NOT NULL CHECK (shipping_cents >= 0),
  -- VAT included in the prices: the part of the total that is tax, at the rate below.
  tax_cents BIGINT NOT NULL CHECK (tax_cents >= 0),
  total_cents BIGINT NOT NULL CHECK (total_cents = subtotal_cents + shipping_cents),
  vat_rate_basis_points INTEGER NOT NULL CHECK (vat_rate_basis_points BETWEEN 0 AND 10000),
  shipping_address JSONB NOT NULL,
  billing_address JSONB NOT NULL,
  notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
  language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'de', 'en')),
  -- A retried checkout with the same key answers the order it made.
  idempotency_key TEXT CHECK (length(idempotency_key) BETWEEN 1 AND 100),
  placed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT orders_vendor_number_key UNIQUE (vendor_id, order_number),
  CONSTRAINT orders_vendor_id_id_key UNIQUE (vendor_id, id),
  CONSTRAINT orders_vendor_idempotency_key UNIQUE (vendor_id, idempotency_key),
  -- An erased customer's orders stay (for accounting) without them.
  FOREIGN KEY (vendor_id, customer_id) REFERENCES customers (vendor_id, id) ON DELETE SET NULL (customer_id)
);
CREATE INDEX orders_customer_idx ON orders (vendor_id, customer_id, id DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_newest_idx ON orders (vendor_id, id DESC);

-- What was bought, as it was when bought (the catalogue may change later).
CREATE TABLE order_items (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  order_id BIGINT NOT NULL,
  product_id BIGINT,
  sku TEXT NOT NULL,
  title TEXT NOT NULL,
  unit_price_cents BIGINT NOT NULL CHECK (unit_price_cents >= 0),
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  line_total_cents BIGINT NOT NULL CHECK (line_total_cents = unit_price_cents * quantity),
  FOREIGN KEY (vendor_id, order_id) REFERENCES orders (vendor_id, id) ON DELETE CASCADE,
  FOREIGN KEY (vendor_id, product_id) REFERENCES products (vendor_id, id) ON DELETE SET NULL (product_id)
);
CREATE INDEX order_items_order_idx ON order_items (vendor_id, order_id, id);

CREATE TABLE order_status_history (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  order_id BIGINT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  changed_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  at TIMESTAMPTZ NOT NULL DEFAULT now(),
  FOREIGN KEY (vendor_id, order_id) REFERENCES orders (vendor_id, id) ON DELETE CASCADE
);
CREATE INDEX order_status_history_order_idx ON order_status_history (vendor_id, order_id, id);

-- Inventory movements made for an order now name a real one. Checked at commit: checkout
-- takes the order's id first, reserves inventory under it, and writes the order row last, so
-- the per-vendor order-number counter stays locked only for the end of the transaction.
ALTER TABLE inventory_movements
  ADD CONSTRAINT inventory_movements_order_fk FOREIGN KEY (vendor_id, order_id) REFERENCES orders (vendor_id, id)
  DEFERRABLE INITIALLY DEFERRED;

DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['carts', 'cart_items', 'order_counters', 'orders', 'order_items', 'order_status_history'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_wall ON %I USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id))', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON carts, cart_items TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON order_counters, orders TO wizamart_app;
GRANT SELECT, INSERT ON order_items, order_status_history TO wizamart_app;

-- The clean-up of abandoned carts: a platform job that deletes expired carts and queues its
-- own next run (orders::CartExpiryJob); this is its first run.
INSERT INTO jobs (kind, max_attempts) VALUES ('carts.expire', 100);
