-- An admin's action over many vendors at once (start their Letzshop imports, activate or
-- deactivate them), run by a job that records each vendor's outcome as it goes, so the page
-- follows it and a rerun after a crash skips the vendors already done.
CREATE TABLE admin_mass_actions (
  id BIGSERIAL PRIMARY KEY,
  job_id BIGINT REFERENCES jobs (id) ON DELETE SET NULL,
  action TEXT NOT NULL CHECK (action IN ('start_imports', 'activate', 'deactivate')),
  vendor_ids BIGINT[] NOT NULL CHECK (cardinality(vendor_ids) BETWEEN 1 AND 5000),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  -- One entry per vendor done: [{vendor_id, code, ok, message}], in vendor_ids order.
  results JSONB NOT NULL DEFAULT '[]',
  failure TEXT,
  created_by BIGINT REFERENCES users (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ
);
CREATE INDEX admin_mass_actions_newest ON admin_mass_actions (id DESC);

-- Platform data: only the platform scope (admins, and the worker acting for the platform)
-- sees it.
ALTER TABLE admin_mass_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_mass_actions FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON admin_mass_actions
  USING (coalesce(current_setting('app.scope', true), '') = 'platform')
  WITH CHECK (coalesce(current_setting('app.scope', true), '') = 'platform');

GRANT SELECT, INSERT, UPDATE ON admin_mass_actions TO wizamart_app;
