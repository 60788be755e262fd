-- The background job queue: every long or retryable piece of work (imports, e-mails,
-- clean-ups) is a row here, claimed by a worker with FOR UPDATE SKIP LOCKED and held by a
-- lease the worker renews while it runs. A job whose worker died is claimed again once its
-- lease has passed; a job that failed is retried with backoff until max_attempts.
CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
  -- The vendor the job works for (NULL: platform work). The worker acts in that vendor's
  -- tenant scope; the row could only be written in it (see the policy).
  vendor_id BIGINT REFERENCES vendors (id) ON DELETE CASCADE,
  payload JSONB NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
  run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  locked_by TEXT,
  lease_until TIMESTAMPTZ,
  cancel_requested BOOLEAN NOT NULL DEFAULT false,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((status = 'running') = (lease_until IS NOT NULL AND locked_by IS NOT NULL))
);

-- What a worker looks for: due queued jobs and running jobs whose lease has passed.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE status = 'running';
-- Admin lists: newest first, by status or vendor.
CREATE INDEX jobs_by_vendor ON jobs (vendor_id, id DESC);
CREATE INDEX jobs_by_status ON jobs (status, id DESC);

-- A vendor's transaction sees and writes only its own jobs; workers claim in the 'jobs'
-- scope, which sees every job and nothing else vendor-owned; admins see all.
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON jobs
  USING (app_vendor_visible(vendor_id) OR coalesce(current_setting('app.scope', true), '') = 'jobs')
  WITH CHECK (app_vendor_visible(vendor_id) OR coalesce(current_setting('app.scope', true), '') = 'jobs');

GRANT SELECT, INSERT, UPDATE ON jobs TO wizamart_app;
