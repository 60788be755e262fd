-- Fulfilment facts set when an order ships: the carrier and its tracking number, shown to the
-- customer with a tracking link.
ALTER TABLE orders
  ADD COLUMN carrier TEXT CHECK (carrier IN ('post_lu', 'dhl', 'dpd', 'ups', 'gls')),
  ADD COLUMN tracking_number TEXT CHECK (length(tracking_number) BETWEEN 1 AND 60),
  ADD COLUMN shipped_at TIMESTAMPTZ;
-- The vendor's order list filters by status and date.
CREATE INDEX orders_status_idx ON orders (vendor_id, status, id DESC);
