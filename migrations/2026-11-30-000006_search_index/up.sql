-- Full-text search that can use its index under row-level security.
--
-- Row-level security evaluates a table's policy before any condition that is not LEAKPROOF,
-- and the text-search match operator (@@) is not, so on `products` (RLS forced) PostgreSQL
-- can never answer @@ from the GIN index: every search filtered the vendor's whole catalogue
-- (about 90 ms at 100,000 products, seconds under load). The vectors therefore move to
-- `product_search`, which has row-level security enabled but not forced, and which the
-- server's role cannot touch at all. It is read only through wz_product_matches, a
-- SECURITY DEFINER function owned by the migration owner (who bypasses the not-forced policy)
-- that applies the tenant wall itself: it only ever returns the transaction's own vendor's
-- products. The composite index (vendor_id, search_vector) keeps one vendor's search from
-- walking other vendors' matches.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The configurations mostly stem a word alike; each distinct alternative once halves the work
-- of a typical index scan. (The empty query's literal would send a NOTICE on every call.)
CREATE OR REPLACE FUNCTION wz_search_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET client_min_messages = warning
AS $$
  WITH words AS (
    SELECT string_agg(w, ' & ' ORDER BY n) || ':*' AS expr
    FROM regexp_split_to_table(lower(wz_unaccent(q)), '[^[:alnum:]]+') WITH ORDINALITY AS t(w, n)
    WHERE w <> ''
  ), alternatives AS (
    SELECT DISTINCT to_tsquery(config, expr) AS alternative
    FROM words, unnest(ARRAY['simple', 'french', 'german', 'english']::regconfig[]) AS config
    WHERE expr IS NOT NULL
  )
  SELECT coalesce(
    (SELECT string_agg('(' || alternative::text || ')', ' | ' ORDER BY alternative::text)::tsquery
     FROM alternatives WHERE numnode(alternative) > 0),
    ''::tsquery)
$$;

-- Live products only (a deleted one leaves), with the one flag every shop search filters by,
-- so the common search (words, perhaps active only, by relevance) is answered here whole.
CREATE TABLE product_search (
  product_id BIGINT PRIMARY KEY,
  vendor_id BIGINT NOT NULL,
  is_active BOOLEAN NOT NULL,
  search_vector TSVECTOR NOT NULL,
  FOREIGN KEY (vendor_id, product_id) REFERENCES products (vendor_id, id) ON DELETE CASCADE
);
INSERT INTO product_search (product_id, vendor_id, is_active, search_vector)
  SELECT id, vendor_id, is_active, search_vector FROM products
  WHERE search_vector <> ''::tsvector AND deleted_at IS NULL;
CREATE INDEX product_search_idx ON product_search USING GIN (vendor_id, search_vector);
ALTER TABLE product_search ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON product_search
  USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));

-- The vectors are kept by the same triggers as before, now writing product_search; they run
-- as the owner because the server's role has no privilege on the table.
DROP TRIGGER products_search ON products;
DROP TRIGGER product_translations_inserted ON product_translations;
DROP TRIGGER product_translations_updated ON product_translations;
DROP TRIGGER product_translations_deleted ON product_translations;
DROP FUNCTION wz_products_search();
DROP FUNCTION wz_translations_search();
DROP INDEX products_search_idx;
ALTER TABLE products DROP COLUMN search_vector;

-- Writes the search rows of these products from their own texts (and removes deleted ones).
-- Harmless whoever calls it (it only restates what the products already say, and answers
-- nothing); a tenant transaction still reads only its own vendor's products and texts here
-- (RLS is forced on both).
CREATE FUNCTION wz_index_products(ids BIGINT[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  DELETE FROM product_search s USING products p
    WHERE s.product_id = p.id AND p.id = ANY(ids) AND p.deleted_at IS NOT NULL;
  INSERT INTO product_search AS s (product_id, vendor_id, is_active, search_vector)
    SELECT p.id, p.vendor_id, p.is_active, wz_product_search_vector(p.id, p.brand)
    FROM unnest(ids) AS changed (id) JOIN products p ON p.id = changed.id
    WHERE p.deleted_at IS NULL
  ON CONFLICT (product_id) DO UPDATE
    SET is_active = excluded.is_active, search_vector = excluded.search_vector
$$;
REVOKE ALL ON FUNCTION wz_index_products(BIGINT[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wz_index_products(BIGINT[]) TO wizamart_app;

-- Only a changed brand, status or deletion changes a product's search row (transition
-- tables rule out `UPDATE OF`).
CREATE FUNCTION wz_products_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM wz_index_products(ARRAY(
    SELECT n.id FROM changed_products n JOIN old_products o ON o.id = n.id
    WHERE (n.brand, n.is_active, n.deleted_at) IS DISTINCT FROM (o.brand, o.is_active, o.deleted_at)));
  RETURN NULL;
END $$;
-- Statement-level: one pass per statement however many rows it wrote (bulk loads, imports).
CREATE TRIGGER products_search AFTER UPDATE ON products
  REFERENCING OLD TABLE AS old_products NEW TABLE AS changed_products
  FOR EACH STATEMENT EXECUTE FUNCTION wz_products_search();

CREATE FUNCTION wz_translations_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM wz_index_products(ARRAY(SELECT DISTINCT product_id FROM changed_texts));
  RETURN NULL;
END $$;
CREATE TRIGGER product_translations_inserted AFTER INSERT ON product_translations
  REFERENCING NEW TABLE AS changed_texts FOR EACH STATEMENT EXECUTE FUNCTION wz_translations_search();
CREATE TRIGGER product_translations_updated AFTER UPDATE ON product_translations
  REFERENCING NEW TABLE AS changed_texts FOR EACH STATEMENT EXECUTE FUNCTION wz_translations_search();
CREATE TRIGGER product_translations_deleted AFTER DELETE ON product_translations
  REFERENCING OLD TABLE AS changed_texts FOR EACH STATEMENT EXECUTE FUNCTION wz_translations_search();

-- The transaction's vendor's live products matching what a person typed, with their rank
-- (title above brand above description). Platform scope, or no vendor, matches nothing.
CREATE FUNCTION wz_product_matches(q TEXT) RETURNS TABLE (product_id BIGINT, rank REAL)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT s.product_id, ts_rank(s.search_vector, query)
  FROM product_search s, wz_search_query(q) AS query
  WHERE s.vendor_id = nullif(current_setting('app.vendor_id', true), '')::BIGINT
    AND s.search_vector @@ query
$$;
REVOKE ALL ON FUNCTION wz_product_matches(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wz_product_matches(TEXT) TO wizamart_app;

-- The common search whole: one page of the best matches (only active ones if asked), each
-- with the number of all matches, so only that page's products are read afterwards.
CREATE FUNCTION wz_product_top(q TEXT, active_only BOOLEAN, page_size BIGINT, skip BIGINT)
RETURNS TABLE (product_id BIGINT, rank REAL, matches BIGINT)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT ranked.product_id, ranked.rank, ranked.matches
  FROM (
    SELECT s.product_id, ts_rank(s.search_vector, query) AS rank, count(*) OVER () AS matches
    FROM product_search s, wz_search_query(q) AS query
    WHERE s.vendor_id = nullif(current_setting('app.vendor_id', true), '')::BIGINT
      AND s.search_vector @@ query
      AND (s.is_active OR NOT active_only)
  ) AS ranked
  ORDER BY ranked.rank DESC, ranked.product_id DESC
  LIMIT page_size OFFSET skip
$$;
REVOKE ALL ON FUNCTION wz_product_top(TEXT, BOOLEAN, BIGINT, BIGINT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wz_product_top(TEXT, BOOLEAN, BIGINT, BIGINT) TO wizamart_app;
