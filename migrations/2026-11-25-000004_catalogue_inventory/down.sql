DROP TABLE inventory_movements;
DROP TABLE inventory;
DROP TABLE inventory_locations;
DROP TABLE catalog_counters;
DROP TABLE product_translations;
DROP TABLE products;
DROP FUNCTION wz_catalog_count_inserted();
DROP FUNCTION wz_catalog_count_updated();
DROP FUNCTION wz_catalog_count_deleted();
DROP FUNCTION wz_catalog_add(BIGINT, BIGINT, BIGINT);
DROP FUNCTION wz_translations_search();
DROP FUNCTION wz_products_search();
DROP FUNCTION wz_product_search_vector(BIGINT, TEXT);
DROP AGGREGATE wz_tsvector_agg(tsvector);
DROP FUNCTION wz_search_query(text);
DROP FUNCTION wz_text_config(text);
DROP FUNCTION wz_unaccent(text);
ALTER TABLE vendor_settings DROP COLUMN default_language;
-- unaccent stays: other objects in the database may use it.
