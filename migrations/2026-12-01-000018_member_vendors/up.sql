-- The vendors a user may act for (active memberships of open vendors), for the dashboard's
-- vendor switcher. Memberships sit behind the tenant wall of each vendor; this one narrow
-- function reads across it for the user's own rows only, in the platform scope it sets for
-- its own duration (the SET clause restores the caller's setting on return).
CREATE FUNCTION wz_member_vendors(p_user BIGINT)
RETURNS TABLE (vendor_id BIGINT, code TEXT, name TEXT, role TEXT)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public
SET app.scope = 'platform'
AS $$
  SELECT v.id, v.code, v.name, r.name
  FROM vendor_users vu
  JOIN vendors v ON v.id = vu.vendor_id
  JOIN roles r ON r.id = vu.role_id
  JOIN users u ON u.id = vu.user_id
  WHERE vu.user_id = p_user AND vu.is_active AND u.is_active
    AND v.is_active AND v.deleted_at IS NULL
  ORDER BY v.name, v.id
$$;
REVOKE ALL ON FUNCTION wz_member_vendors(BIGINT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wz_member_vendors(BIGINT) TO wizamart_app;
