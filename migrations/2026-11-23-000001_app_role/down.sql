-- The role itself stays: it is cluster-wide and other databases may still use it.
DROP FUNCTION app_vendor_visible(BIGINT);
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM wizamart_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM wizamart_app;
REVOKE USAGE ON SCHEMA public FROM wizamart_app;
