ALTER TABLE vendor_users DROP COLUMN updated_at;
ALTER TABLE roles DROP CONSTRAINT roles_name_check,
  ADD CONSTRAINT roles_name_check CHECK (name <> '');
ALTER TABLE roles DROP COLUMN is_default;
