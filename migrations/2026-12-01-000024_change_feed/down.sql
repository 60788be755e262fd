DROP TRIGGER users_announce_updated ON users;
DROP FUNCTION wz_announce_account();
DROP TRIGGER vendors_announce_updated ON vendors;
DROP FUNCTION wz_announce_vendor();
DO $$
DECLARE tbl text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['products', 'product_translations', 'product_images', 'inventory',
                             'vendor_settings', 'vendor_users', 'roles'] LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', tbl || '_announce_inserted', tbl);
    EXECUTE format('DROP TRIGGER %I ON %I', tbl || '_announce_updated', tbl);
    EXECUTE format('DROP TRIGGER %I ON %I', tbl || '_announce_deleted', tbl);
  END LOOP;
END $$;
DROP FUNCTION wz_announce();
