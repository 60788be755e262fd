-- The restricted role every pooled server connection switches to (SET ROLE), so that
-- row-level security applies even when DATABASE_URL logs in as a superuser or table owner.
-- Roles are cluster-wide: several databases (one per test) share it, so creation tolerates
-- an existing role and a concurrent creator.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wizamart_app') THEN
    CREATE ROLE wizamart_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- The migrating user must be allowed to SET ROLE to it (superusers always are).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'wizamart_app', 'MEMBER') THEN
    EXECUTE format('GRANT wizamart_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO wizamart_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO wizamart_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO wizamart_app;

-- The tenant wall used by every row-level security policy: a row is visible when the
-- transaction runs in platform scope (admin handlers only) or its vendor_id is the
-- transaction-local app.vendor_id set by tenant_tx. No setting means no rows.
CREATE FUNCTION app_vendor_visible(row_vendor_id BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.scope', true), '') = 'platform'
      OR row_vendor_id = nullif(current_setting('app.vendor_id', true), '')::BIGINT
$$;
