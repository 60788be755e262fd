DROP TABLE vendor_bulk_imports;
