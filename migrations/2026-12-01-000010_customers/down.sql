DROP INDEX IF EXISTS refresh_tokens_customer_idx;
ALTER TABLE refresh_tokens DROP CONSTRAINT IF EXISTS refresh_tokens_customer_fk;
DROP TABLE customer_password_resets;
DROP TABLE customer_addresses;
DROP TABLE customers;
