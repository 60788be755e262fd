-- Back to the vector on products, kept by the triggers of the catalogue migration.
DROP FUNCTION wz_product_top(TEXT, BOOLEAN, BIGINT, BIGINT);
DROP FUNCTION wz_product_matches(TEXT);
DROP TRIGGER product_translations_inserted ON product_translations;
DROP TRIGGER product_translations_updated ON product_translations;
DROP TRIGGER product_translations_deleted ON product_translations;
DROP TRIGGER products_search ON products;
DROP FUNCTION wz_translations_search();
DROP FUNCTION wz_products_search();
DROP FUNCTION wz_index_products(BIGINT[]);

ALTER TABLE products ADD COLUMN search_vector TSVECTOR NOT NULL DEFAULT ''::tsvector;
UPDATE products p SET search_vector = s.search_vector FROM product_search s WHERE s.product_id = p.id;
CREATE INDEX products_search_idx ON products USING GIN (search_vector);
DROP TABLE product_search;

CREATE FUNCTION wz_products_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := wz_product_search_vector(NEW.id, NEW.brand);
  RETURN NEW;
END $$;
CREATE TRIGGER products_search BEFORE UPDATE OF brand ON products
  FOR EACH ROW EXECUTE FUNCTION wz_products_search();

CREATE FUNCTION wz_translations_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products p SET search_vector = wz_product_search_vector(p.id, p.brand)
  WHERE p.id IN (SELECT product_id FROM changed_texts);
  RETURN NULL;
END $$;
CREATE TRIGGER product_translations_inserted AFTER INSERT ON product_translations
  REFERENCING NEW TABLE AS changed_texts FOR EACH STATEMENT EXECUTE FUNCTION wz_translations_search();
CREATE TRIGGER product_translations_updated AFTER UPDATE ON product_translations
  REFERENCING NEW TABLE AS changed_texts FOR EACH STATEMENT EXECUTE FUNCTION wz_translations_search();
CREATE TRIGGER product_translations_deleted AFTER DELETE ON product_translations
  REFERENCING OLD TABLE AS changed_texts FOR EACH STATEMENT EXECUTE FUNCTION wz_translations_search();
CREATE OR REPLACE FUNCTION wz_search_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  WITH words AS (
    SELECT string_agg(w, ' & ' ORDER BY n) || ':*' AS expr
    FROM regexp_split_to_table(lower(wz_unaccent(q)), '[^[:alnum:]]+') WITH ORDINALITY AS t(w, n)
    WHERE w <> ''
  )
  SELECT CASE WHEN expr IS NULL THEN ''::tsquery
         ELSE to_tsquery('simple', expr) || to_tsquery('french', expr)
           || to_tsquery('german', expr) || to_tsquery('english', expr) END
  FROM words
$$;
-- btree_gin stays: other objects in the database may use it.
