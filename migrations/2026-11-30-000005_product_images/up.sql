-- Ordered images per product: a remote address (as marketplace imports bring them) or an
-- upload kept in the media store under a key in the vendor's own folder. Vendor-owned, under
-- row-level security like every catalogue table.
CREATE TABLE product_images (
  id BIGSERIAL PRIMARY KEY,
  vendor_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  position INTEGER NOT NULL CHECK (position >= 0),
  remote_url TEXT CHECK (remote_url ~ '^https?://[^[:space:]]+$' AND length(remote_url) <= 2000),
  -- The upload's key: its renditions are "{key}-thumb.jpg" and "{key}-large.jpg". A key can
  -- only name a file in its own vendor's folder.
  storage_key TEXT CHECK (storage_key ~ '^products/[0-9]+/[0-9a-f-]{36}$'
                          AND storage_key LIKE 'products/' || vendor_id || '/%'),
  width INTEGER CHECK (width > 0),
  height INTEGER CHECK (height > 0),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT product_images_one_source CHECK ((remote_url IS NULL) <> (storage_key IS NULL)),
  FOREIGN KEY (vendor_id, product_id) REFERENCES products (vendor_id, id) ON DELETE CASCADE
);
CREATE INDEX product_images_product_idx ON product_images (vendor_id, product_id, position, id);

ALTER TABLE product_images ENABLE ROW LEVEL SECURITY;
ALTER TABLE product_images FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON product_images
  USING (app_vendor_visible(vendor_id)) WITH CHECK (app_vendor_visible(vendor_id));

GRANT SELECT, INSERT, UPDATE, DELETE ON product_images TO wizamart_app;
