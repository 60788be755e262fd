-- Admin bulk vendor imports too large to run inside the request: the file waits here for its
-- job, which creates the vendors in chunks and records each row's outcome as it goes, so the
-- admin's page shows progress and a rerun after a crash resumes after the last recorded row.
CREATE TABLE vendor_bulk_imports (
  id BIGSERIAL PRIMARY KEY,
  job_id BIGINT REFERENCES jobs (id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  file_name TEXT NOT NULL CHECK (length(file_name) <= 200),
  -- The uploaded file; emptied when the import ends.
  csv BYTEA,
  total_rows INTEGER NOT NULL CHECK (total_rows >= 0),
  processed_rows INTEGER NOT NULL DEFAULT 0 CHECK (processed_rows BETWEEN 0 AND total_rows),
  -- Each row's outcome: [{row, vendor, owner, temporary_password}] and [{row, error}]. The
  -- temporary passwords are blanked once the finished report has been shown.
  created JSONB NOT NULL DEFAULT '[]',
  failed JSONB NOT NULL DEFAULT '[]',
  passwords_shown BOOLEAN NOT NULL DEFAULT false,
  failure TEXT,
  created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ
);

CREATE INDEX vendor_bulk_imports_newest ON vendor_bulk_imports (id DESC);

-- Platform data holding new owners' temporary passwords until shown: only the platform scope
-- (admins, and the worker acting for the platform) sees it; a vendor's transaction never does.
ALTER TABLE vendor_bulk_imports ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_bulk_imports FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON vendor_bulk_imports
  USING (coalesce(current_setting('app.scope', true), '') = 'platform')
  WITH CHECK (coalesce(current_setting('app.scope', true), '') = 'platform');

GRANT SELECT, INSERT, UPDATE ON vendor_bulk_imports TO wizamart_app;
