DROP INDEX orders_placed_idx;
ALTER TABLE customers DROP COLUMN erased_at;
REVOKE UPDATE (refunded_quantity) ON order_items FROM wizamart_app;
ALTER TABLE order_items DROP COLUMN refunded_quantity;
ALTER TABLE orders DROP COLUMN refunded_cents, DROP COLUMN paid_at;
