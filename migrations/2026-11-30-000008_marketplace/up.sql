-- Letzshop imports: each import of one feed file (one language) is a row of
-- marketplace_imports with its live counts, its bad rows in marketplace_import_errors, and
-- the feed's products staged in marketplace_products (language-independent fields) and
-- marketplace_product_translations (per language), keyed by the feed's id.

CREATE TABLE marketplace_imports (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  job_id BIGINT REFERENCES jobs (id) ON DELETE SET NULL,
  language TEXT NOT NULL CHECK (language IN ('fr', 'de', 'en')),
  source_kind TEXT NOT NULL CHECK (source_kind IN ('url', 'upload')),
  -- The address fetched, or the uploaded file's name.
  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 2048),
  -- Where an upload waits in the media store until the job has read it.
  upload_key TEXT,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'completed_with_errors', 'failed', 'cancelled')),
  total_rows INTEGER NOT NULL DEFAULT 0,
  processed_rows INTEGER NOT NULL DEFAULT 0,
  created_count INTEGER NOT NULL DEFAULT 0,
  updated_count INTEGER NOT NULL DEFAULT 0,
  unchanged_count INTEGER NOT NULL DEFAULT 0,
  error_count INTEGER NOT NULL DEFAULT 0,
  failure TEXT,
  created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ
);
CREATE INDEX marketplace_imports_by_vendor ON marketplace_imports (vendor_id, id DESC);
CREATE INDEX marketplace_imports_by_status ON marketplace_imports (status, id DESC);

CREATE TABLE marketplace_import_errors (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  import_id BIGINT NOT NULL REFERENCES marketplace_imports (id) ON DELETE CASCADE,
  row_number BIGINT NOT NULL,
  column_name TEXT,
  message TEXT NOT NULL,
  raw TEXT NOT NULL
);
CREATE INDEX marketplace_import_errors_by_import ON marketplace_import_errors (import_id, id);

CREATE TABLE marketplace_products (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  external_id TEXT NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
  price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
  sale_price_cents BIGINT CHECK (sale_price_cents >= 0),
  currency TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  availability TEXT NOT NULL CHECK (availability IN ('in_stock', 'out_of_stock', 'preorder', 'backorder')),
  brand TEXT,
  gtin TEXT,
  mpn TEXT,
  condition TEXT NOT NULL CHECK (condition IN ('new', 'used', 'refurbished')),
  image_link TEXT,
  additional_image_links TEXT[] NOT NULL DEFAULT '{}',
  google_product_category TEXT,
  product_type TEXT,
  item_group_id TEXT,
  color TEXT,
  size TEXT,
  -- The catalogue product it was published as (NULL: not published).
  product_id BIGINT REFERENCES products (id) ON DELETE SET NULL,
  -- The feed's values last written into that product (price, texts, ...): a product field
  -- that no longer equals its synced value was changed by the vendor (an override), and a
  -- re-import leaves it alone.
  synced JSONB,
  -- Set when an import of the feed no longer lists it; cleared when it comes back.
  missing_since TIMESTAMPTZ,
  -- The last import that wrote the row (no foreign key: imports are never deleted but with
  -- their vendor, and a key would cost a lookup per staged row).
  last_import_id BIGINT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (vendor_id, external_id)
);
CREATE INDEX marketplace_products_published ON marketplace_products (vendor_id, product_id);

CREATE TABLE marketplace_product_translations (
  marketplace_product_id BIGINT NOT NULL REFERENCES marketplace_products (id) ON DELETE CASCADE,
  language TEXT NOT NULL CHECK (language IN ('fr', 'de', 'en')),
  -- The product's vendor (for the tenant wall; the product row's foreign key covers it).
  vendor_id BIGINT NOT NULL,
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  link TEXT,
  -- Every non-empty cell of the row as the feed wrote it, extra columns included.
  raw JSONB NOT NULL DEFAULT '{}',
  last_import_id BIGINT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (marketplace_product_id, language)
);

DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['marketplace_imports', 'marketplace_import_errors',
                           'marketplace_products', 'marketplace_product_translations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_wall ON %I USING (app_vendor_visible(vendor_id)) '
                   'WITH CHECK (app_vendor_visible(vendor_id))', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON marketplace_imports, marketplace_products,
  marketplace_product_translations TO wizamart_app;
-- A rerun of an import (after its worker died) clears the bad rows of the attempt before.
GRANT SELECT, INSERT, DELETE ON marketplace_import_errors TO wizamart_app;
