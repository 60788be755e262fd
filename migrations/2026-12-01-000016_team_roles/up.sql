-- Team management: the four default roles every vendor gets are marked (they cannot be
-- changed or deleted; custom roles can), and a membership records when it last changed.
ALTER TABLE roles ADD COLUMN is_default BOOLEAN NOT NULL DEFAULT false;
-- Every vendor's roles: the platform scope, so the tenant wall (forced on the owner too)
-- lets this migration see them when it does not run as a superuser.
SELECT set_config('app.scope', 'platform', true);
UPDATE roles SET is_default = true WHERE name IN ('Owner', 'Manager', 'Editor', 'Viewer');
ALTER TABLE roles DROP CONSTRAINT roles_name_check,
  ADD CONSTRAINT roles_name_check CHECK (length(name) BETWEEN 1 AND 60);
ALTER TABLE vendor_users ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
