-- Back to the first migration's broad grants.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM wizamart_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, vendors, vendor_domains, vendor_settings, roles,
  vendor_users, refresh_tokens, audit_logs, platform_settings TO wizamart_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO wizamart_app;
