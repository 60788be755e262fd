-- A vendor's customers: accounts per vendor (the same e-mail at two shops is two accounts),
-- their addresses, and password-reset links. All vendor-owned: the tenant wall applies.
CREATE TABLE customers (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  email TEXT NOT NULL CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
  password_hash TEXT NOT NULL,
  first_name TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
  last_name TEXT NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
  phone TEXT CHECK (length(phone) <= 40),
  is_active BOOLEAN NOT NULL DEFAULT true,
  last_login_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT customers_vendor_email_key UNIQUE (vendor_id, email),
  CONSTRAINT customers_vendor_id_id_key UNIQUE (vendor_id, id)
);

CREATE TABLE customer_addresses (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  customer_id BIGINT NOT NULL,
  label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 60),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  street TEXT NOT NULL CHECK (length(street) BETWEEN 1 AND 200),
  postal_code TEXT NOT NULL CHECK (length(postal_code) BETWEEN 1 AND 20),
  city TEXT NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
  country CHAR(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  phone TEXT CHECK (length(phone) <= 40),
  is_default_shipping BOOLEAN NOT NULL DEFAULT false,
  is_default_billing BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  FOREIGN KEY (vendor_id, customer_id) REFERENCES customers (vendor_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (vendor_id, customer_id, id);
-- At most one default of each kind per customer.
CREATE UNIQUE INDEX customer_addresses_one_shipping ON customer_addresses (customer_id) WHERE is_default_shipping;
CREATE UNIQUE INDEX customer_addresses_one_billing ON customer_addresses (customer_id) WHERE is_default_billing;

-- Password-reset links: the token is e-mailed, only its hash is kept; single use, expiring.
CREATE TABLE customer_password_resets (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  customer_id BIGINT NOT NULL,
  token_hash TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT customer_password_resets_token_hash_key UNIQUE (token_hash),
  FOREIGN KEY (vendor_id, customer_id) REFERENCES customers (vendor_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_password_resets_customer_idx ON customer_password_resets (vendor_id, customer_id);

DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['customers', 'customer_addresses', 'customer_password_resets'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_wall ON %I USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id))', t);
  END LOOP;
END $$;

-- A customer's refresh tokens name the customer (the column existed, waiting for the table).
ALTER TABLE refresh_tokens
  ADD CONSTRAINT refresh_tokens_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
CREATE INDEX refresh_tokens_customer_idx ON refresh_tokens (customer_id) WHERE customer_id IS NOT NULL;

GRANT SELECT, INSERT, UPDATE ON customers TO wizamart_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON customer_addresses TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON customer_password_resets TO wizamart_app;
