-- Catalogue and inventory: products with per-language texts and a full-text search vector,
-- per-vendor counters (cheap list totals), inventory locations, quantities and the
-- append-only movement ledger. Every table is vendor-owned and under row-level security;
-- rows that must exist before RLS is switched on (default locations of existing vendors) are
-- written first.

-- Accent-insensitive search ("echarpe" finds "Écharpe"). unaccent is a trusted extension;
-- the wrapper is IMMUTABLE so stored vectors and indexes may use it.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE FUNCTION wz_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- The text-search configuration of a product language.
CREATE FUNCTION wz_text_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE language WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig ELSE 'english'::regconfig END $$;

-- The query for what a person typed: its words (letters and digits; accents and case
-- ignored), all required, the last one also as a prefix (type-ahead), matched in every
-- catalogue language's configuration and in the unstemmed one.
CREATE FUNCTION wz_search_query(q text) RETURNS tsquery
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

CREATE AGGREGATE wz_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

ALTER TABLE vendor_settings
  ADD COLUMN default_language TEXT NOT NULL DEFAULT 'fr' CHECK (default_language IN ('fr', 'de', 'en'));

CREATE TABLE products (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  sku TEXT NOT NULL CHECK (sku <> '' AND length(sku) <= 64),
  brand TEXT NOT NULL DEFAULT '' CHECK (length(brand) <= 200),
  gtin TEXT CHECK (gtin ~ '^[0-9]{8,14}$'),
  condition TEXT NOT NULL DEFAULT 'new' CHECK (condition IN ('new', 'refurbished', 'used')),
  price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
  sale_price_cents BIGINT CHECK (sale_price_cents >= 0),
  currency CHAR(3) NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  is_active BOOLEAN NOT NULL DEFAULT true,
  is_featured BOOLEAN NOT NULL DEFAULT false,
  low_inventory_threshold INTEGER NOT NULL DEFAULT 0 CHECK (low_inventory_threshold >= 0),
  -- Title (A) above brand (B) above description (C), every language; kept by triggers.
  search_vector TSVECTOR NOT NULL DEFAULT ''::tsvector,
  -- Optimistic concurrency: an edit names the version it read; a stale one changes nothing.
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT products_vendor_id_id_key UNIQUE (vendor_id, id)
);
-- A deleted product's SKU may be used again.
CREATE UNIQUE INDEX products_vendor_sku_key ON products (vendor_id, sku) WHERE deleted_at IS NULL;
CREATE INDEX products_vendor_newest_idx ON products (vendor_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX products_vendor_price_idx ON products (vendor_id, price_cents, id) WHERE deleted_at IS NULL;
CREATE INDEX products_vendor_brand_idx ON products (vendor_id, brand) WHERE deleted_at IS NULL;
CREATE INDEX products_search_idx ON products USING GIN (search_vector);

CREATE TABLE product_translations (
  vendor_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  language TEXT NOT NULL CHECK (language IN ('fr', 'de', 'en')),
  title TEXT NOT NULL CHECK (title <> '' AND length(title) <= 300),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  PRIMARY KEY (product_id, language),
  FOREIGN KEY (vendor_id, product_id) REFERENCES products (vendor_id, id) ON DELETE CASCADE
);
CREATE INDEX product_translations_vendor_idx ON product_translations (vendor_id);

CREATE FUNCTION wz_product_search_vector(p_id BIGINT, p_brand TEXT) RETURNS tsvector
LANGUAGE sql STABLE
AS $$
  SELECT setweight(to_tsvector('simple', wz_unaccent(coalesce(p_brand, ''))), 'B')
      || coalesce((SELECT wz_tsvector_agg(
                      setweight(to_tsvector(wz_text_config(t.language), wz_unaccent(t.title)), 'A')
                   || setweight(to_tsvector('simple', wz_unaccent(t.title)), 'A')
                   || setweight(to_tsvector(wz_text_config(t.language), wz_unaccent(t.description)), 'C'))
                   FROM product_translations t WHERE t.product_id = p_id), ''::tsvector)
$$;

CREATE FUNCTION wz_products_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := wz_product_search_vector(NEW.id, NEW.brand);
  RETURN NEW;
END $$;
-- A new product has no texts yet: the translations' trigger fills its vector when they come.
CREATE TRIGGER products_search BEFORE UPDATE OF brand ON products
  FOR EACH ROW EXECUTE FUNCTION wz_products_search();

-- Statement-level: one UPDATE per statement however many texts it wrote (bulk loads and
-- imports write thousands at once).
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

-- Per-vendor counts of live products, so an unfiltered list never counts the catalogue.
CREATE TABLE catalog_counters (
  vendor_id BIGINT PRIMARY KEY REFERENCES vendors (id) ON DELETE CASCADE,
  products BIGINT NOT NULL DEFAULT 0 CHECK (products >= 0),
  active BIGINT NOT NULL DEFAULT 0 CHECK (active >= 0)
);
INSERT INTO catalog_counters (vendor_id) SELECT id FROM vendors;

-- Adds to one vendor's counts (update first: an INSERT's own row is checked against the
-- CHECKs before ON CONFLICT is considered).
CREATE FUNCTION wz_catalog_add(vendor BIGINT, products_delta BIGINT, active_delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_counters
    SET products = products + products_delta, active = active + active_delta
    WHERE vendor_id = vendor;
  IF NOT FOUND THEN
    INSERT INTO catalog_counters AS c (vendor_id, products, active)
      VALUES (vendor, greatest(products_delta, 0), greatest(active_delta, 0))
      ON CONFLICT (vendor_id) DO UPDATE
        SET products = c.products + products_delta, active = c.active + active_delta;
  END IF;
END $$;

-- Statement-level, so a bulk load updates each vendor's counters once, not once per row.
CREATE FUNCTION wz_catalog_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM wz_catalog_add(vendor_id, live, active) FROM (
    SELECT vendor_id, count(*) FILTER (WHERE deleted_at IS NULL) AS live,
           count(*) FILTER (WHERE deleted_at IS NULL AND is_active) AS active
    FROM new_rows GROUP BY vendor_id) d
  WHERE live <> 0 OR active <> 0;
  RETURN NULL;
END $$;
CREATE FUNCTION wz_catalog_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM wz_catalog_add(vendor_id, sum(live), sum(active)) FROM (
    SELECT vendor_id, (deleted_at IS NULL)::int AS live, (deleted_at IS NULL AND is_active)::int AS active FROM new_rows
    UNION ALL
    SELECT vendor_id, -(deleted_at IS NULL)::int, -(deleted_at IS NULL AND is_active)::int FROM old_rows) d
  GROUP BY vendor_id HAVING sum(live) <> 0 OR sum(active) <> 0;
  RETURN NULL;
END $$;
CREATE FUNCTION wz_catalog_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM wz_catalog_add(vendor_id, -live, -active) FROM (
    SELECT vendor_id, count(*) FILTER (WHERE deleted_at IS NULL) AS live,
           count(*) FILTER (WHERE deleted_at IS NULL AND is_active) AS active
    FROM old_rows GROUP BY vendor_id) d
  WHERE live <> 0 OR active <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER products_count_inserted AFTER INSERT ON products
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wz_catalog_count_inserted();
CREATE TRIGGER products_count_updated AFTER UPDATE ON products
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wz_catalog_count_updated();
CREATE TRIGGER products_count_deleted AFTER DELETE ON products
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wz_catalog_count_deleted();

CREATE TABLE inventory_locations (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  code TEXT NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$|^[a-z0-9]$'),
  name TEXT NOT NULL CHECK (name <> '' AND length(name) <= 200),
  is_default BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT inventory_locations_vendor_code_key UNIQUE (vendor_id, code),
  CONSTRAINT inventory_locations_vendor_id_id_key UNIQUE (vendor_id, id)
);
CREATE UNIQUE INDEX inventory_locations_one_default ON inventory_locations (vendor_id) WHERE is_default;
INSERT INTO inventory_locations (vendor_id, code, name, is_default)
  SELECT id, 'main', 'Main location', true FROM vendors;

CREATE TABLE inventory (
  vendor_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  location_id BIGINT NOT NULL,
  quantity INTEGER NOT NULL DEFAULT 0,
  reserved_quantity INTEGER NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, location_id),
  CONSTRAINT inventory_never_oversold CHECK (reserved_quantity >= 0 AND reserved_quantity <= quantity),
  FOREIGN KEY (vendor_id, product_id) REFERENCES products (vendor_id, id) ON DELETE CASCADE,
  FOREIGN KEY (vendor_id, location_id) REFERENCES inventory_locations (vendor_id, id) ON DELETE CASCADE
);
CREATE INDEX inventory_vendor_idx ON inventory (vendor_id, product_id);

-- One row per change, never updated or deleted: quantity_delta sums to inventory.quantity
-- and reserved_delta to reserved_quantity.
CREATE TABLE inventory_movements (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  location_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('received', 'adjusted', 'reserved', 'released', 'sold', 'returned')),
  quantity_delta INTEGER NOT NULL,
  reserved_delta INTEGER NOT NULL,
  quantity_after INTEGER NOT NULL,
  reserved_after INTEGER NOT NULL,
  order_id BIGINT,
  user_id BIGINT REFERENCES users (id),
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  at TIMESTAMPTZ NOT NULL DEFAULT now(),
  FOREIGN KEY (vendor_id, product_id) REFERENCES products (vendor_id, id) ON DELETE CASCADE,
  FOREIGN KEY (vendor_id, location_id) REFERENCES inventory_locations (vendor_id, id) ON DELETE CASCADE
);
CREATE INDEX inventory_movements_product_idx ON inventory_movements (vendor_id, product_id, id DESC);

DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['products', 'product_translations', 'catalog_counters', 'inventory_locations', 'inventory', 'inventory_movements'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_wall ON %I USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id))', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON products TO wizamart_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON product_translations TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON catalog_counters TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON inventory_locations TO wizamart_app;
GRANT SELECT, INSERT, UPDATE ON inventory TO wizamart_app;
GRANT SELECT, INSERT ON inventory_movements TO wizamart_app;
