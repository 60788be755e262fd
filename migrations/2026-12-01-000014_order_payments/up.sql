-- Payments and refunds of an order: when it was paid, how much went back to the customer,
-- and how many units of each item a refund returned (a partial refund names items).
ALTER TABLE orders
  ADD COLUMN paid_at TIMESTAMPTZ,
  ADD COLUMN refunded_cents BIGINT NOT NULL DEFAULT 0,
  ADD CONSTRAINT orders_refunded_cents_check CHECK (refunded_cents BETWEEN 0 AND total_cents);
ALTER TABLE order_items
  ADD COLUMN refunded_quantity INT NOT NULL DEFAULT 0,
  ADD CONSTRAINT order_items_refunded_quantity_check CHECK (refunded_quantity BETWEEN 0 AND quantity);
-- An item's lines stay as bought; only the count of refunded units moves.
GRANT UPDATE (refunded_quantity) ON order_items TO wizamart_app;

-- A customer erased on request (GDPR): the account keeps its id (its orders' totals stay for
-- the accounts) but nothing that names the person.
ALTER TABLE customers ADD COLUMN erased_at TIMESTAMPTZ;

-- The dashboard's figures read a vendor's orders of the last days.
CREATE INDEX orders_placed_idx ON orders (vendor_id, placed_at);
