//! Marketplace imports and the staged feed (vendor-owned; row-level security applies).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::TenantTx;

/// What one staged batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, QueryableByName)]
pub struct StageCounts {
    #[diesel(sql_type = BigInt)]
    pub created: i64,
    #[diesel(sql_type = BigInt)]
    pub updated: i64,
    #[diesel(sql_type = BigInt)]
    pub unchanged: i64,
}

/// Stages a batch of feed rows in one language: a JSON array (as text) of objects with the columns of
/// `marketplace_products` and `title`, `description`, `link`, `raw` of the translation.
/// New products are created, changed ones updated (a product counts as updated when its own
/// fields or this language's text changed), the rest only marked as seen by `import_id`
/// (which also clears `missing_since`).
pub fn stage(
    tx: &mut TenantTx<'_>,
    import_id: i64,
    language: &str,
    batch: &str,
) -> QueryResult<StageCounts> {
    let vendor_id = tx.vendor_id();
    diesel::sql_query(STAGE)
        .bind::<Text, _>(batch)
        .bind::<BigInt, _>(vendor_id.0)
        .bind::<BigInt, _>(import_id)
        .bind::<Text, _>(language)
        .get_result(tx.conn())
}

/// `updated_at` moves only when something changed, so `updated_at = now()` after the upsert
/// tells a changed row from one merely seen again.
const STAGE: &str = "
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
    external_id text, price_cents bigint, sale_price_cents bigint, currency text,
    availability text, brand text, gtin text, mpn text, condition text, image_link text,
    additional_image_links text[], google_product_category text, product_type text,
    item_group_id text, color text, size text, title text, description text, link text,
    raw jsonb)
),
staged AS (
  INSERT INTO marketplace_products AS m (vendor_id, external_id, price_cents, sale_price_cents,
    currency, availability, brand, gtin, mpn, condition, image_link, additional_image_links,
    google_product_category, product_type, item_group_id, color, size, last_import_id)
  SELECT $2, external_id, price_cents, sale_price_cents, currency, availability, brand, gtin,
    mpn, condition, image_link, coalesce(additional_image_links, '{}'), google_product_category,
    product_type, item_group_id, color, size, $3
  FROM input
  ON CONFLICT (vendor_id, external_id) DO UPDATE SET
    price_cents = EXCLUDED.price_cents, sale_price_cents = EXCLUDED.sale_price_cents,
    currency = EXCLUDED.currency, availability = EXCLUDED.availability, brand = EXCLUDED.brand,
    gtin = EXCLUDED.gtin, mpn = EXCLUDED.mpn, condition = EXCLUDED.condition,
    image_link = EXCLUDED.image_link, additional_image_links = EXCLUDED.additional_image_links,
    google_product_category = EXCLUDED.google_product_category,
    product_type = EXCLUDED.product_type, item_group_id = EXCLUDED.item_group_id,
    color = EXCLUDED.color, size = EXCLUDED.size, last_import_id = EXCLUDED.last_import_id,
    missing_since = NULL,
    updated_at = CASE WHEN (m.price_cents, m.sale_price_cents, m.currency, m.availability,
        m.brand, m.gtin, m.mpn, m.condition, m.image_link, m.additional_image_links,
        m.google_product_category, m.product_type, m.item_group_id, m.color, m.size)
      IS DISTINCT FROM (EXCLUDED.price_cents, EXCLUDED.sale_price_cents, EXCLUDED.currency,
        EXCLUDED.availability, EXCLUDED.brand, EXCLUDED.gtin, EXCLUDED.mpn, EXCLUDED.condition,
        EXCLUDED.image_link, EXCLUDED.additional_image_links, EXCLUDED.google_product_category,
        EXCLUDED.product_type, EXCLUDED.item_group_id, EXCLUDED.color, EXCLUDED.size)
      THEN now() ELSE m.updated_at END
  RETURNING m.id, m.external_id, (m.xmax = 0) AS inserted, (m.updated_at = now()) AS changed
),
texts AS (
  INSERT INTO marketplace_product_translations AS t (marketplace_product_id, language,
    vendor_id, title, description, link, raw, last_import_id)
  SELECT s.id, $4, $2, i.title, coalesce(i.description, ''), i.link, coalesce(i.raw, '{}'), $3
  FROM input i JOIN staged s USING (external_id)
  ON CONFLICT (marketplace_product_id, language) DO UPDATE SET
    title = EXCLUDED.title, description = EXCLUDED.description, link = EXCLUDED.link,
    raw = EXCLUDED.raw, last_import_id = EXCLUDED.last_import_id,
    updated_at = CASE WHEN (t.title, t.description, t.link, t.raw)
      IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.description, EXCLUDED.link, EXCLUDED.raw)
      THEN now() ELSE t.updated_at END
  RETURNING t.marketplace_product_id AS id, (t.updated_at = now()) AS changed
)
SELECT
  count(*) FILTER (WHERE s.inserted) AS created,
  count(*) FILTER (WHERE NOT s.inserted AND (s.changed OR t.changed)) AS updated,
  count(*) FILTER (WHERE NOT s.inserted AND NOT s.changed AND NOT t.changed) AS unchanged
FROM staged s JOIN texts t USING (id)";

/// Flags the staged products that have a text in `language` which the import `import_id`
/// (of that language, complete) did not list: they left the feed. Answers how many.
pub fn flag_missing(tx: &mut TenantTx<'_>, import_id: i64, language: &str) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::sql_query(
        "UPDATE marketplace_products m SET missing_since = now() \
         WHERE m.vendor_id = $1 AND m.missing_since IS NULL AND EXISTS ( \
           SELECT 1 FROM marketplace_product_translations t \
           WHERE t.marketplace_product_id = m.id AND t.language = $3 \
             AND t.last_import_id IS DISTINCT FROM $2)",
    )
    .bind::<BigInt, _>(vendor_id.0)
    .bind::<BigInt, _>(import_id)
    .bind::<Text, _>(language)
    .execute(tx.conn())
}

/// Adds one batch's counts to an import.
pub fn add_progress(
    tx: &mut TenantTx<'_>,
    import_id: i64,
    rows: i64,
    counts: StageCounts,
    errors: i64,
) -> QueryResult<()> {
    use crate::schema::marketplace_imports as mi;
    let vendor_id = tx.vendor_id();
    let int = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    diesel::update(
        mi::table
            .filter(mi::vendor_id.eq(vendor_id.0))
            .filter(mi::id.eq(import_id)),
    )
    .set((
        mi::processed_rows.eq(mi::processed_rows + int(rows)),
        mi::created_count.eq(mi::created_count + int(counts.created)),
        mi::updated_count.eq(mi::updated_count + int(counts.updated)),
        mi::unchanged_count.eq(mi::unchanged_count + int(counts.unchanged)),
        mi::error_count.eq(mi::error_count + int(errors)),
    ))
    .execute(tx.conn())
    .map(|_| ())
}

/// A staged product's language-independent fields.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::marketplace_products, check_for_backend(diesel::pg::Pg))]
pub struct Staged {
    pub id: i64,
    pub external_id: String,
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: String,
    pub availability: String,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub mpn: Option<String>,
    pub condition: String,
    pub image_link: Option<String>,
    pub additional_image_links: Vec<Option<String>>,
    pub google_product_category: Option<String>,
    pub product_type: Option<String>,
    pub item_group_id: Option<String>,
    pub color: Option<String>,
    pub size: Option<String>,
    pub product_id: Option<i64>,
    pub synced: Option<serde_json::Value>,
    pub missing_since: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A staged product's text in one language.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::marketplace_product_translations, check_for_backend(diesel::pg::Pg))]
pub struct StagedText {
    pub marketplace_product_id: i64,
    pub language: String,
    pub title: String,
    pub description: String,
    pub link: Option<String>,
    pub raw: serde_json::Value,
}

/// What to look for among staged products.
#[derive(Debug, Clone, Default)]
pub struct StagedFilter<'a> {
    /// Part of a title (any language) or the start of the feed id, case-insensitive.
    pub q: Option<&'a str>,
    /// Only products with a text in this language.
    pub language: Option<&'a str>,
    pub brand: Option<&'a str>,
    pub availability: Option<&'a str>,
    pub published: Option<bool>,
    pub missing: Option<bool>,
}

/// A page of staged products in feed-id order, and how many match.
pub fn staged_page(
    tx: &mut TenantTx<'_>,
    filter: &StagedFilter<'_>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Staged>, i64)> {
    use crate::schema::marketplace_product_translations as t;
    use crate::schema::marketplace_products as m;
    let vendor_id = tx.vendor_id();
    let query = || {
        let mut q = m::table.filter(m::vendor_id.eq(vendor_id.0)).into_boxed();
        if let Some(text) = filter.q {
            let like = format!("%{}%", escape_like(text));
            let prefix = format!("{}%", escape_like(text));
            q = q.filter(
                m::external_id.ilike(prefix).or(diesel::dsl::exists(
                    t::table
                        .filter(t::marketplace_product_id.eq(m::id))
                        .filter(t::title.ilike(like)),
                )),
            );
        }
        if let Some(language) = filter.language {
            q = q.filter(diesel::dsl::exists(
                t::table
                    .filter(t::marketplace_product_id.eq(m::id))
                    .filter(t::language.eq(language.to_owned())),
            ));
        }
        if let Some(brand) = filter.brand {
            q = q.filter(m::brand.ilike(escape_like(brand)));
        }
        if let Some(availability) = filter.availability {
            q = q.filter(m::availability.eq(availability.to_owned()));
        }
        match filter.published {
            Some(true) => q = q.filter(m::product_id.is_not_null()),
            Some(false) => q = q.filter(m::product_id.is_null()),
            None => {}
        }
        match filter.missing {
            Some(true) => q = q.filter(m::missing_since.is_not_null()),
            Some(false) => q = q.filter(m::missing_since.is_null()),
            None => {}
        }
        q
    };
    let items = query()
        .order(m::external_id)
        .limit(limit)
        .offset(offset)
        .select(Staged::as_select())
        .load(tx.conn())?;
    let total = query().count().get_result(tx.conn())?;
    Ok((items, total))
}

/// `%`, `_` and `\` taken literally in a LIKE pattern.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The texts of these staged products.
pub fn staged_texts(tx: &mut TenantTx<'_>, ids: &[i64]) -> QueryResult<Vec<StagedText>> {
    use crate::schema::marketplace_product_translations as t;
    let vendor_id = tx.vendor_id();
    t::table
        .filter(t::vendor_id.eq(vendor_id.0))
        .filter(t::marketplace_product_id.eq_any(ids))
        .order((t::marketplace_product_id, t::language))
        .select(StagedText::as_select())
        .load(tx.conn())
}

/// One staged product, locked until the transaction ends (publishing it).
pub fn lock_staged(tx: &mut TenantTx<'_>, id: i64) -> QueryResult<Option<Staged>> {
    use crate::schema::marketplace_products as m;
    let vendor_id = tx.vendor_id();
    m::table
        .filter(m::vendor_id.eq(vendor_id.0))
        .filter(m::id.eq(id))
        .select(Staged::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

pub fn find_staged(tx: &mut TenantTx<'_>, id: i64) -> QueryResult<Option<Staged>> {
    use crate::schema::marketplace_products as m;
    let vendor_id = tx.vendor_id();
    m::table
        .filter(m::vendor_id.eq(vendor_id.0))
        .filter(m::id.eq(id))
        .select(Staged::as_select())
        .first(tx.conn())
        .optional()
}

/// Records that a staged product was published as `product_id`, with the feed values written
/// into it.
pub fn link_product(
    tx: &mut TenantTx<'_>,
    id: i64,
    product_id: crate::ProductId,
    synced: &serde_json::Value,
) -> QueryResult<()> {
    use crate::schema::marketplace_products as m;
    let vendor_id = tx.vendor_id();
    diesel::update(
        m::table
            .filter(m::vendor_id.eq(vendor_id.0))
            .filter(m::id.eq(id)),
    )
    .set((m::product_id.eq(product_id.0), m::synced.eq(synced)))
    .execute(tx.conn())
    .map(|_| ())
}

/// The published staged products an import changed (their own fields, or their text in the
/// import's language), in id order.
pub fn published_changed(
    tx: &mut TenantTx<'_>,
    import_id: i64,
    since: chrono::DateTime<chrono::Utc>,
) -> QueryResult<Vec<i64>> {
    use crate::schema::marketplace_product_translations as t;
    use crate::schema::marketplace_products as m;
    let vendor_id = tx.vendor_id();
    m::table
        .filter(m::vendor_id.eq(vendor_id.0))
        .filter(m::product_id.is_not_null())
        .filter(m::last_import_id.eq(import_id))
        .filter(
            m::updated_at.ge(since).or(diesel::dsl::exists(
                t::table
                    .filter(t::marketplace_product_id.eq(m::id))
                    .filter(t::last_import_id.eq(import_id))
                    .filter(t::updated_at.ge(since)),
            )),
        )
        .order(m::id)
        .select(m::id)
        .load(tx.conn())
}

/// Replaces the record of feed values written into the published product.
pub fn set_synced(tx: &mut TenantTx<'_>, id: i64, synced: &serde_json::Value) -> QueryResult<()> {
    use crate::schema::marketplace_products as m;
    let vendor_id = tx.vendor_id();
    diesel::update(
        m::table
            .filter(m::vendor_id.eq(vendor_id.0))
            .filter(m::id.eq(id)),
    )
    .set(m::synced.eq(synced))
    .execute(tx.conn())
    .map(|_| ())
}
