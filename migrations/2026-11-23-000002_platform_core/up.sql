-- Platform core: users, vendors and what hangs off a vendor in slice 1.

CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  email TEXT NOT NULL CHECK (email = lower(email) AND email <> ''),
  password_hash TEXT NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  is_platform_admin BOOLEAN NOT NULL DEFAULT false,
  is_active BOOLEAN NOT NULL DEFAULT true,
  last_login_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE vendors (
  id BIGSERIAL PRIMARY KEY,
  code TEXT NOT NULL CHECK (code ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
  name TEXT NOT NULL CHECK (name <> ''),
  subdomain TEXT NOT NULL CHECK (subdomain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  description TEXT NOT NULL DEFAULT '',
  business_email TEXT,
  business_phone TEXT,
  business_address TEXT,
  is_active BOOLEAN NOT NULL DEFAULT true,
  is_verified BOOLEAN NOT NULL DEFAULT false,
  owner_user_id BIGINT NOT NULL REFERENCES users (id),
  theme JSONB NOT NULL DEFAULT '{}'::jsonb,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT vendors_code_key UNIQUE (code),
  CONSTRAINT vendors_subdomain_key UNIQUE (subdomain)
);
CREATE INDEX vendors_owner_user_id_idx ON vendors (owner_user_id);

CREATE TABLE vendor_domains (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  domain TEXT NOT NULL CHECK (domain = lower(domain) AND domain <> ''),
  is_primary BOOLEAN NOT NULL DEFAULT false,
  verified_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT vendor_domains_domain_key UNIQUE (domain)
);
CREATE INDEX vendor_domains_vendor_id_idx ON vendor_domains (vendor_id);

CREATE TABLE vendor_settings (
  vendor_id BIGINT PRIMARY KEY REFERENCES vendors (id) ON DELETE CASCADE,
  letzshop_csv_urls JSONB NOT NULL DEFAULT '{}'::jsonb,
  settings JSONB NOT NULL DEFAULT '{}'::jsonb,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE roles (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (name <> ''),
  permissions TEXT[] NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT roles_vendor_name_key UNIQUE (vendor_id, name),
  -- Lets vendor_users reference (vendor_id, role_id) so a member can only hold a role of
  -- the same vendor.
  CONSTRAINT roles_vendor_id_id_key UNIQUE (vendor_id, id)
);

CREATE TABLE vendor_users (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id BIGINT NOT NULL,
  invited_by BIGINT REFERENCES users (id),
  is_active BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT vendor_users_vendor_user_key UNIQUE (vendor_id, user_id),
  CONSTRAINT vendor_users_role_fkey FOREIGN KEY (vendor_id, role_id) REFERENCES roles (vendor_id, id)
);
CREATE INDEX vendor_users_user_id_idx ON vendor_users (user_id);

-- Refresh tokens are found by their hash before any vendor is known, so this table is
-- principal-owned, not vendor-owned: it has no row-level security; vendor_id only records
-- which vendor a vendor or customer session belongs to.
CREATE TABLE refresh_tokens (
  id BIGSERIAL PRIMARY KEY,
  token_hash TEXT NOT NULL,
  family UUID NOT NULL,
  principal_kind TEXT NOT NULL CHECK (principal_kind IN ('admin', 'vendor', 'customer')),
  user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
  customer_id BIGINT,
  vendor_id BIGINT REFERENCES vendors (id) ON DELETE CASCADE,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  replaced_by BIGINT REFERENCES refresh_tokens (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
  CHECK ((user_id IS NULL) <> (customer_id IS NULL))
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family);

CREATE TABLE audit_logs (
  id BIGSERIAL PRIMARY KEY,
  actor_user_id BIGINT REFERENCES users (id),
  vendor_id BIGINT REFERENCES vendors (id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  details JSONB NOT NULL DEFAULT '{}'::jsonb,
  ip TEXT,
  request_id TEXT,
  at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_vendor_at_idx ON audit_logs (vendor_id, at DESC);
CREATE INDEX audit_logs_at_idx ON audit_logs (at DESC);

CREATE TABLE platform_settings (
  key TEXT PRIMARY KEY,
  value JSONB NOT NULL,
  updated_by BIGINT REFERENCES users (id),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Row-level security on every vendor-owned table (see app_vendor_visible).
ALTER TABLE vendor_domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_domains FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON vendor_domains USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));
-- Resolving a request's Host to its vendor happens before any vendor is known: the
-- resolver's read-only transaction (app.scope = 'resolve') may look domains up.
CREATE POLICY domain_resolution ON vendor_domains FOR SELECT
  USING (coalesce(current_setting('app.scope', true), '') = 'resolve');

ALTER TABLE vendor_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON vendor_settings USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));

ALTER TABLE roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE roles FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON roles USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));

ALTER TABLE vendor_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON vendor_users USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));

-- Audit entries without a vendor are platform-only.
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON audit_logs USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));
