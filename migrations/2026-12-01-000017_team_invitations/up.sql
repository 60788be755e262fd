-- Invitations to join a vendor's team: the e-mailed token is kept only as its SHA-256 hash,
-- expires, is used once and can be revoked or sent again (a new token). One open invitation
-- per address and vendor. Vendor-owned: the tenant wall applies (the token names its vendor).
CREATE TABLE vendor_invitations (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  email TEXT NOT NULL CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
  role_id BIGINT NOT NULL,
  token_hash TEXT NOT NULL,
  invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  accepted_at TIMESTAMPTZ,
  accepted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT vendor_invitations_token_hash_key UNIQUE (token_hash),
  FOREIGN KEY (vendor_id, role_id) REFERENCES roles (vendor_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX vendor_invitations_one_open ON vendor_invitations (vendor_id, email)
  WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX vendor_invitations_vendor_idx ON vendor_invitations (vendor_id, id DESC);

ALTER TABLE vendor_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON vendor_invitations
  USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));

GRANT SELECT, INSERT, UPDATE ON vendor_invitations TO wizamart_app;
