-- A new job wakes the idle workers of every process at once (they LISTEN on this channel),
-- instead of waiting for their next poll. NOTIFY is delivered at commit, so a worker never
-- wakes for a job it cannot see yet; several jobs in one transaction send one notification.
CREATE FUNCTION jobs_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('wizamart_jobs', '');
  RETURN NULL;
END $$;

CREATE TRIGGER jobs_wake AFTER INSERT ON jobs FOR EACH STATEMENT EXECUTE FUNCTION jobs_wake();
