-- The admin dashboard's orders over recent days across every vendor: by placing time alone.
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
