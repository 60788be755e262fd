ALTER TABLE inventory_movements DROP CONSTRAINT IF EXISTS inventory_movements_order_fk;
DROP TABLE order_status_history;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE order_counters;
DROP TABLE cart_items;
DROP TABLE carts;
DELETE FROM jobs WHERE kind = 'carts.expire';
