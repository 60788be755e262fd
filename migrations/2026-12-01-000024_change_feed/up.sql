-- The change feed: every server keeps what it read of a vendor's catalogue and team in memory
-- (web/src/vendor_cache.rs) until the database announces on 'wizamart_changes' that they
-- changed. The payload names what changed: 'catalog <vendor id>', 'team <vendor id>', or
-- 'accounts' (a user's standing or name, which every team shows). NOTIFY is delivered at
-- commit and sent once per distinct payload per transaction; the statement-level triggers
-- send one per vendor a statement touched, however many rows it wrote.
CREATE FUNCTION wz_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('wizamart_changes', TG_ARGV[0] || ' ' || vendor_id)
      FROM (SELECT DISTINCT vendor_id FROM new_rows) d;
  ELSE
    -- An update names its vendors by the old rows: no code changes a row's vendor (in a
    -- vendor's scope the tenant wall refuses it), so they are the vendors it touched.
    PERFORM pg_notify('wizamart_changes', TG_ARGV[0] || ' ' || vendor_id)
      FROM (SELECT DISTINCT vendor_id FROM old_rows) d;
  END IF;
  RETURN NULL;
END $$;

-- Three triggers per table (a trigger with transition tables serves one event).
CREATE FUNCTION wz_announce_changes_of(tbl regclass, feed text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE name text := tbl::text;
BEGIN
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wz_announce(%L)', name || '_announce_inserted', tbl, feed);
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wz_announce(%L)', name || '_announce_updated', tbl, feed);
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wz_announce(%L)', name || '_announce_deleted', tbl, feed);
END $$;

-- What a vendor's product list shows.
SELECT wz_announce_changes_of('products', 'catalog');
SELECT wz_announce_changes_of('product_translations', 'catalog');
SELECT wz_announce_changes_of('product_images', 'catalog');
SELECT wz_announce_changes_of('inventory', 'catalog');
SELECT wz_announce_changes_of('vendor_settings', 'catalog');
-- Who may act for a vendor, with which permissions.
SELECT wz_announce_changes_of('vendor_users', 'team');
SELECT wz_announce_changes_of('roles', 'team');
DROP FUNCTION wz_announce_changes_of(regclass, text);

-- A vendor closed, reopened, deleted or renamed (rows rarely change: one row at a time).
CREATE FUNCTION wz_announce_vendor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('wizamart_changes', 'team ' || NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER vendors_announce_updated AFTER UPDATE ON vendors FOR EACH ROW
  WHEN ((OLD.is_active, OLD.deleted_at, OLD.code, OLD.name, OLD.owner_user_id)
        IS DISTINCT FROM (NEW.is_active, NEW.deleted_at, NEW.code, NEW.name, NEW.owner_user_id))
  EXECUTE FUNCTION wz_announce_vendor();

-- A user switched off or on, renamed, or made or unmade an admin: every team they are in.
-- (A sign-in only stamps last_login_at, which nothing cached shows.)
CREATE FUNCTION wz_announce_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('wizamart_changes', 'accounts');
  RETURN NULL;
END $$;
CREATE TRIGGER users_announce_updated AFTER UPDATE ON users FOR EACH ROW
  WHEN ((OLD.is_active, OLD.email, OLD.first_name, OLD.last_name, OLD.is_platform_admin)
        IS DISTINCT FROM (NEW.is_active, NEW.email, NEW.first_name, NEW.last_name, NEW.is_platform_admin))
  EXECUTE FUNCTION wz_announce_account();
