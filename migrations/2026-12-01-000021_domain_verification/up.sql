-- Custom domains are proven with a DNS TXT record holding a per-domain token; checks are
-- recorded (when, and why one failed), and a scheduled re-check unpublishes a domain whose
-- record disappeared. Existing rows get a token of their own (the default is volatile, so
-- it is computed per row); the server makes its own for new domains.
ALTER TABLE vendor_domains
  ADD COLUMN verification_token TEXT NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text),
  ADD COLUMN last_checked_at TIMESTAMPTZ,
  ADD COLUMN check_error TEXT;
ALTER TABLE vendor_domains ADD CONSTRAINT vendor_domains_token_length CHECK (length(verification_token) BETWEEN 16 AND 64);
-- The re-check walks the verified domains of every vendor.
CREATE INDEX vendor_domains_verified_idx ON vendor_domains (id) WHERE verified_at IS NOT NULL;

-- The re-check is a platform job that queues its own next run (tenancy::DomainRecheckJob);
-- this is its first run.
SELECT set_config('app.scope', 'platform', true);
INSERT INTO jobs (kind, max_attempts) VALUES ('domains.recheck', 100);
