DELETE FROM jobs WHERE kind = 'orders.expire_card_payments';
ALTER TABLE orders DROP COLUMN card_session_id;
ALTER TABLE orders DROP CONSTRAINT orders_payment_method_check;
ALTER TABLE orders ADD CONSTRAINT orders_payment_method_check
  CHECK (payment_method IN ('bank_transfer', 'cash_on_pickup'));
DROP TABLE payment_events;
DROP TABLE payment_accounts;
