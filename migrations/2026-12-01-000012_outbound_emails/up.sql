-- Every e-mail the platform sends: queued with its template and data in the transaction of
-- what caused it (an order, a reset request), rendered and sent by the `email.send` job, and
-- kept with what was sent (so admins and tests can see it).
CREATE TABLE outbound_emails (
  id BIGSERIAL PRIMARY KEY,
  -- The shop the e-mail is from (its branding); NULL for the platform's own.
  vendor_id BIGINT REFERENCES vendors (id) ON DELETE CASCADE,
  to_address TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
  template TEXT NOT NULL CHECK (template ~ '^[a-z][a-z0-9_]{0,63}$'),
  language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'de', 'en')),
  context JSONB NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'logged', 'failed')),
  subject TEXT,
  text_body TEXT,
  html_body TEXT,
  error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at TIMESTAMPTZ
);
CREATE INDEX outbound_emails_vendor_idx ON outbound_emails (vendor_id, id DESC);

-- Like jobs: a vendor's transaction sees its own e-mails; the job workers ('jobs' scope) and
-- the platform see all.
ALTER TABLE outbound_emails ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbound_emails FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON outbound_emails
  USING (app_vendor_visible(vendor_id) OR coalesce(current_setting('app.scope', true), '') = 'jobs')
  WITH CHECK (app_vendor_visible(vendor_id) OR coalesce(current_setting('app.scope', true), '') = 'jobs');

GRANT SELECT, INSERT, UPDATE ON outbound_emails TO wizamart_app;
