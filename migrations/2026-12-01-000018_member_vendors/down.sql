DROP FUNCTION wz_member_vendors(BIGINT);
