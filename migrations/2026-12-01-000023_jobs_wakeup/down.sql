DROP TRIGGER jobs_wake ON jobs;
DROP FUNCTION jobs_wake();
