SELECT set_config('app.scope', 'platform', true);
DELETE FROM jobs WHERE kind = 'domains.recheck' AND vendor_id IS NULL;
DROP INDEX vendor_domains_verified_idx;
ALTER TABLE vendor_domains DROP CONSTRAINT vendor_domains_token_length;
ALTER TABLE vendor_domains DROP COLUMN check_error, DROP COLUMN last_checked_at, DROP COLUMN verification_token;
