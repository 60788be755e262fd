DROP INDEX orders_status_idx;
ALTER TABLE orders DROP COLUMN shipped_at, DROP COLUMN tracking_number, DROP COLUMN carrier;
