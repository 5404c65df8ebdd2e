-- A sale's log rows, for the office's sale detail; the office's sale list
-- by customer.
CREATE INDEX sync_log_sale ON sync_log(sale_id, id);
CREATE INDEX sales_customer ON sales(customer_id, id);
