-- Least privilege: the application role gets exactly the privileges the server needs, table
-- by table (listed in docs/database.md), instead of every privilege on every table. New
-- tables get nothing until their own migration grants it. No TRUNCATE, REFERENCES or TRIGGER
-- anywhere; audit_logs is append-only.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM wizamart_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM wizamart_app;

GRANT SELECT, INSERT, UPDATE ON users TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON vendors TO wizamart_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON vendor_domains TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON vendor_settings TO wizamart_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON roles TO wizamart_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON vendor_users TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON refresh_tokens TO wizamart_app;
GRANT SELECT, INSERT ON audit_logs TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON platform_settings TO wizamart_app;
