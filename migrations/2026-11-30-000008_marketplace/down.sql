DROP TABLE marketplace_product_translations;
DROP TABLE marketplace_products;
DROP TABLE marketplace_import_errors;
DROP TABLE marketplace_imports;
