-- The admin's audit log: keyset pages newest first by (at, id), alone or narrowed to one
-- actor, vendor or action, each served by its own index (no count, no offset).
DROP INDEX audit_logs_at_idx;
DROP INDEX audit_logs_vendor_at_idx;
CREATE INDEX audit_logs_at_id_idx ON audit_logs (at DESC, id DESC);
CREATE INDEX audit_logs_vendor_at_id_idx ON audit_logs (vendor_id, at DESC, id DESC);
CREATE INDEX audit_logs_actor_at_id_idx ON audit_logs (actor_user_id, at DESC, id DESC);
CREATE INDEX audit_logs_action_at_id_idx ON audit_logs (action, at DESC, id DESC);

-- Append-only for everyone, the owner included (the application role has no UPDATE or DELETE
-- grant at all). A vendor or user with entries can therefore not be hard-deleted; both are
-- soft-deleted or switched off instead.
CREATE FUNCTION audit_logs_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();

-- Sign-ins and failed sign-ins happen before anyone's scope is known (a failed one may name
-- no user at all), yet an admin must see them, with the vendor signed in to. This one narrow
-- function writes such an entry, and only such an entry, in the platform scope it sets for
-- its own duration.
CREATE FUNCTION wz_record_sign_in(
  p_actor BIGINT, p_vendor BIGINT, p_action TEXT, p_email TEXT, p_details JSONB,
  p_ip TEXT, p_request_id TEXT)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public
SET app.scope = 'platform'
AS $$
BEGIN
  IF p_action NOT IN ('auth.login', 'auth.login_failed') THEN
    RAISE EXCEPTION 'not a sign-in action: %', p_action USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO audit_logs (actor_user_id, vendor_id, action, target_type, target_id, details, ip, request_id)
  VALUES (p_actor, p_vendor, p_action, 'user', coalesce(p_actor::text, p_email),
          p_details || jsonb_build_object('email', p_email), p_ip, p_request_id);
END $$;
REVOKE ALL ON FUNCTION wz_record_sign_in(BIGINT, BIGINT, TEXT, TEXT, JSONB, TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wz_record_sign_in(BIGINT, BIGINT, TEXT, TEXT, JSONB, TEXT, TEXT) TO wizamart_app;
