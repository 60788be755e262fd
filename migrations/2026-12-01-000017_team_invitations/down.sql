DROP TABLE vendor_invitations;
