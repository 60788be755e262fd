//! A vendor's catalogue: products, their per-language texts, search, and the per-vendor
//! counters (vendor-owned; row-level security applies). The search vector is kept by database
//! triggers (see the catalogue migration), the counters too.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Bool, Text};

use crate::schema::{catalog_counters, product_translations, products};
use crate::{ProductId, TenantTx, VendorId};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct Product {
    pub id: ProductId,
    pub vendor_id: VendorId,
    pub sku: String,
    pub brand: String,
    pub gtin: Option<String>,
    pub condition: String,
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: String,
    pub is_active: bool,
    pub is_featured: bool,
    pub low_inventory_threshold: i32,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_translations, check_for_backend(diesel::pg::Pg))]
pub struct Translation {
    pub product_id: ProductId,
    pub language: String,
    pub title: String,
    pub description: String,
}

/// A product to create for the handle's vendor.
#[derive(Debug, Insertable)]
#[diesel(table_name = products)]
pub struct NewProduct<'a> {
    pub sku: &'a str,
    pub brand: &'a str,
    pub gtin: Option<&'a str>,
    pub condition: &'a str,
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: &'a str,
    pub is_active: bool,
    pub is_featured: bool,
    pub low_inventory_threshold: i32,
}

/// A partial update: `None` leaves a column; `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = products)]
pub struct ProductChanges {
    pub sku: Option<String>,
    pub brand: Option<String>,
    pub gtin: Option<Option<String>>,
    pub condition: Option<String>,
    pub price_cents: Option<i64>,
    pub sale_price_cents: Option<Option<i64>>,
    pub currency: Option<String>,
    pub is_active: Option<bool>,
    pub is_featured: Option<bool>,
    pub low_inventory_threshold: Option<i32>,
}

pub fn insert(tx: &mut TenantTx<'_>, new: &NewProduct<'_>) -> QueryResult<Product> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(products::table)
        .values((new, products::vendor_id.eq(vendor_id)))
        .returning(Product::as_returning())
        .get_result(tx.conn())
}

/// Writes the texts of `product` in the given languages (replacing those present).
pub fn put_translations(
    tx: &mut TenantTx<'_>,
    product: ProductId,
    texts: &[(&str, &str, &str)],
) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    let rows: Vec<_> = texts
        .iter()
        .map(|(language, title, description)| {
            (
                product_translations::vendor_id.eq(vendor_id),
                product_translations::product_id.eq(product),
                product_translations::language.eq(*language),
                product_translations::title.eq(*title),
                product_translations::description.eq(*description),
            )
        })
        .collect();
    diesel::insert_into(product_translations::table)
        .values(rows)
        .on_conflict((
            product_translations::product_id,
            product_translations::language,
        ))
        .do_update()
        .set((
            product_translations::title.eq(diesel::upsert::excluded(product_translations::title)),
            product_translations::description
                .eq(diesel::upsert::excluded(product_translations::description)),
        ))
        .execute(tx.conn())
        .map(|_| ())
}

/// A live (not deleted) product of the handle's vendor.
pub fn find(tx: &mut TenantTx<'_>, id: ProductId) -> QueryResult<Option<Product>> {
    let vendor_id = tx.vendor_id();
    products::table
        .filter(products::vendor_id.eq(vendor_id))
        .filter(products::id.eq(id))
        .filter(products::deleted_at.is_null())
        .select(Product::as_select())
        .first(tx.conn())
        .optional()
}

/// Live products with ids above `after`, in id order (keyset pages for exports).
pub fn after(
    tx: &mut TenantTx<'_>,
    after: Option<ProductId>,
    limit: i64,
) -> QueryResult<Vec<Product>> {
    let vendor_id = tx.vendor_id();
    products::table
        .filter(products::vendor_id.eq(vendor_id))
        .filter(products::id.gt(after.unwrap_or(ProductId(0))))
        .filter(products::deleted_at.is_null())
        .order(products::id)
        .limit(limit)
        .select(Product::as_select())
        .load(tx.conn())
}

/// The live, active products among `ids` (a shop's cart and checkout).
pub fn active_by_ids(tx: &mut TenantTx<'_>, ids: &[ProductId]) -> QueryResult<Vec<Product>> {
    let vendor_id = tx.vendor_id();
    products::table
        .filter(products::vendor_id.eq(vendor_id))
        .filter(products::id.eq_any(ids))
        .filter(products::deleted_at.is_null())
        .filter(products::is_active.eq(true))
        .order(products::id)
        .select(Product::as_select())
        .load(tx.conn())
}

/// The newest `limit` active products' ids and last changes: a shop's sitemap.
pub fn active_entries(
    tx: &mut TenantTx<'_>,
    limit: i64,
) -> QueryResult<Vec<(ProductId, chrono::DateTime<chrono::Utc>)>> {
    let vendor_id = tx.vendor_id();
    products::table
        .filter(products::vendor_id.eq(vendor_id))
        .filter(products::deleted_at.is_null())
        .filter(products::is_active.eq(true))
        .order((products::created_at.desc(), products::id.desc()))
        .limit(limit)
        .select((products::id, products::updated_at))
        .load(tx.conn())
}

/// The texts of these products, every language.
pub fn translations(tx: &mut TenantTx<'_>, ids: &[ProductId]) -> QueryResult<Vec<Translation>> {
    let vendor_id = tx.vendor_id();
    product_translations::table
        .filter(product_translations::vendor_id.eq(vendor_id))
        .filter(product_translations::product_id.eq_any(ids))
        .order((
            product_translations::product_id,
            product_translations::language,
        ))
        .select(Translation::as_select())
        .load(tx.conn())
}

/// Applies `changes` if the product is live and still at `version`; the version goes up by
/// one. `None` when there is no such product or someone changed it since.
pub fn update(
    tx: &mut TenantTx<'_>,
    id: ProductId,
    version: i32,
    changes: &ProductChanges,
) -> QueryResult<Option<Product>> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        products::table
            .filter(products::vendor_id.eq(vendor_id))
            .filter(products::id.eq(id))
            .filter(products::deleted_at.is_null())
            .filter(products::version.eq(version)),
    )
    .set((
        changes,
        products::version.eq(products::version + 1),
        products::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Product::as_returning())
    .get_result(tx.conn())
    .optional()
}

/// Sets a flag on many live products at once; answers how many changed.
pub fn set_active(tx: &mut TenantTx<'_>, ids: &[ProductId], active: bool) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        products::table
            .filter(products::vendor_id.eq(vendor_id))
            .filter(products::id.eq_any(ids))
            .filter(products::deleted_at.is_null())
            .filter(products::is_active.ne(active)),
    )
    .set((
        products::is_active.eq(active),
        products::version.eq(products::version + 1),
        products::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())
}

/// Marks a live product deleted; its SKU becomes free again.
pub fn soft_delete(tx: &mut TenantTx<'_>, id: ProductId) -> QueryResult<bool> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        products::table
            .filter(products::vendor_id.eq(vendor_id))
            .filter(products::id.eq(id))
            .filter(products::deleted_at.is_null()),
    )
    .set((
        products::deleted_at.eq(diesel::dsl::now),
        products::version.eq(products::version + 1),
        products::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())
    .map(|n| n == 1)
}

/// How a search orders its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By full-text rank when there is a query, else newest first.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFilter {
    /// Words to find (accents and case ignored; the last word may be a prefix).
    pub q: Option<String>,
    pub brand: Option<String>,
    pub min_price_cents: Option<i64>,
    pub max_price_cents: Option<i64>,
    pub is_active: Option<bool>,
    pub is_featured: Option<bool>,
    /// Only products with something available at some location.
    pub in_stock: Option<bool>,
    pub sort: Sort,
}

impl ProductFilter {
    /// Whether the filter narrows the catalogue beyond "active or not" (which the counters
    /// know).
    fn narrows(&self) -> bool {
        self.q.is_some()
            || self.brand.is_some()
            || self.min_price_cents.is_some()
            || self.max_price_cents.is_some()
            || self.is_featured.is_some()
            || self.in_stock.is_some()
            || self.is_active == Some(false)
    }
}

/// The most a filtered search counts before answering "more than this".
pub const COUNT_CAP: i64 = 1000;

/// One page of products and how many there are: exact from the counters for an unfiltered
/// list and for a text search, else counted up to [`COUNT_CAP`] (`capped` says the true total
/// is larger).
pub struct Found {
    pub items: Vec<Product>,
    pub total: i64,
    pub capped: bool,
}

/// One search for every caller (dashboard now, shop later): full text through
/// `wz_product_matches` (the index-backed, tenant-walled search function: see the search-index
/// migration), filters and sorts, as one SQL statement built from the filter with every value
/// bound. An unfiltered list takes its total from the counters; a text search counts its
/// matches exactly (it ranks them all anyway); other filters count up to [`COUNT_CAP`].
pub fn search(
    tx: &mut TenantTx<'_>,
    filter: &ProductFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<Found> {
    let vendor_id = tx.vendor_id();
    let order = match (filter.sort, &filter.q) {
        (Sort::Relevance, Some(_)) => " ORDER BY m.rank DESC, p.id DESC",
        (Sort::PriceAsc, _) => " ORDER BY p.price_cents ASC, p.id ASC",
        (Sort::PriceDesc, _) => " ORDER BY p.price_cents DESC, p.id DESC",
        (Sort::Relevance | Sort::Newest, _) => " ORDER BY p.created_at DESC, p.id DESC",
    };
    // A text search ranks every match to order them, so it counts them in the same statement
    // (exactly, for free); other filters let the page stop early, and are counted separately,
    // capped.
    if let Some(q) = &filter.q {
        #[derive(QueryableByName)]
        struct Ranked {
            #[diesel(embed)]
            product: Product,
            #[diesel(sql_type = BigInt)]
            matches: i64,
        }
        // Words alone (or active products only), by relevance: the search function answers
        // the page itself; anything else joins every match to its product.
        let whole = ProductFilter {
            q: Some(q.clone()),
            is_active: filter.is_active.filter(|active| *active),
            sort: Sort::Relevance,
            ..ProductFilter::default()
        };
        let rows = if *filter == whole {
            Statement::new("SELECT p.*, m.matches FROM wz_product_top(")
                .bind::<Text, _>(q.clone())
                .sql(", ")
                .bind::<Bool, _>(filter.is_active == Some(true))
                .sql(", ")
                .bind::<BigInt, _>(limit)
                .sql(", ")
                .bind::<BigInt, _>(offset)
                .sql(") AS m JOIN products p ON p.id = m.product_id WHERE p.vendor_id = ")
                .bind::<BigInt, _>(vendor_id.0)
                .sql(order)
        } else {
            matching(
                Statement::new("SELECT p.*, count(*) OVER () AS matches"),
                vendor_id,
                filter,
            )
            .page(order, limit, offset)
        }
        .query
        .load::<Ranked>(tx.conn())?;
        if let Some(first) = rows.first() {
            return Ok(Found {
                total: first.matches,
                capped: false,
                items: rows.into_iter().map(|r| r.product).collect(),
            });
        }
        if offset == 0 {
            return Ok(Found {
                items: Vec::new(),
                total: 0,
                capped: false,
            });
        }
    }
    let items = matching(Statement::new("SELECT p.*"), vendor_id, filter)
        .page(order, limit, offset)
        .query
        .load::<Product>(tx.conn())?;
    let (total, capped) = if filter.narrows() {
        capped_count(tx, vendor_id, filter)?
    } else {
        let (all, active) = counters(tx)?;
        (
            if filter.is_active == Some(true) {
                active
            } else {
                all
            },
            false,
        )
    };
    Ok(Found {
        items,
        total,
        capped,
    })
}

/// How many products match, counted up to [`COUNT_CAP`] (and whether there are more).
fn capped_count(
    tx: &mut TenantTx<'_>,
    vendor_id: VendorId,
    filter: &ProductFilter,
) -> QueryResult<(i64, bool)> {
    #[derive(QueryableByName)]
    struct Counted {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let counted = matching(
        Statement::new("SELECT count(*) AS n FROM (SELECT 1"),
        vendor_id,
        filter,
    )
    .sql(" LIMIT ")
    .bind::<BigInt, _>(COUNT_CAP + 1)
    .sql(") AS found")
    .query
    .get_result::<Counted>(tx.conn())?
    .n;
    Ok((counted.min(COUNT_CAP), counted > COUNT_CAP))
}

/// SQL text with numbered parameters: each [`Statement::bind`] writes its `$n` and binds the
/// value (Diesel's boxed SQL queries bind values only).
struct Statement {
    query: BoxedSqlQuery<'static, Pg, SqlQuery>,
    binds: usize,
}

impl Statement {
    fn new(sql: &str) -> Self {
        Self {
            query: diesel::sql_query(sql).into_boxed(),
            binds: 0,
        }
    }

    fn sql(mut self, sql: &str) -> Self {
        self.query = self.query.sql(sql);
        self
    }

    /// `ORDER BY ... LIMIT ... OFFSET ...`.
    fn page(self, order: &str, limit: i64, offset: i64) -> Self {
        self.sql(order)
            .sql(" LIMIT ")
            .bind::<BigInt, _>(limit)
            .sql(" OFFSET ")
            .bind::<BigInt, _>(offset)
    }

    fn bind<ST, V>(mut self, value: V) -> Self
    where
        ST: diesel::sql_types::SqlType + Send + 'static,
        V: diesel::serialize::ToSql<ST, Pg> + Send + 'static,
        Pg: diesel::sql_types::HasSqlType<ST>,
    {
        self.binds += 1;
        self.query = self
            .query
            .sql(format!("${}", self.binds))
            .bind::<ST, V>(value);
        self
    }
}

/// Appends `FROM ... WHERE ...` for the filter's products (`p`, and `m` with its rank when
/// there are words to find).
fn matching(query: Statement, vendor_id: VendorId, filter: &ProductFilter) -> Statement {
    let mut query = match &filter.q {
        Some(q) => query
            .sql(" FROM products p JOIN wz_product_matches(")
            .bind::<Text, _>(q.clone())
            .sql(") AS m ON m.product_id = p.id"),
        None => query.sql(" FROM products p"),
    }
    .sql(" WHERE p.vendor_id = ")
    .bind::<BigInt, _>(vendor_id.0)
    .sql(" AND p.deleted_at IS NULL");
    if let Some(brand) = &filter.brand {
        query = query.sql(" AND p.brand = ").bind::<Text, _>(brand.clone());
    }
    if let Some(min) = filter.min_price_cents {
        query = query.sql(" AND p.price_cents >= ").bind::<BigInt, _>(min);
    }
    if let Some(max) = filter.max_price_cents {
        query = query.sql(" AND p.price_cents <= ").bind::<BigInt, _>(max);
    }
    if let Some(active) = filter.is_active {
        query = query.sql(" AND p.is_active = ").bind::<Bool, _>(active);
    }
    if let Some(featured) = filter.is_featured {
        query = query.sql(" AND p.is_featured = ").bind::<Bool, _>(featured);
    }
    if let Some(in_stock) = filter.in_stock {
        query = query.sql(if in_stock { " AND" } else { " AND NOT" }).sql(
            " EXISTS (SELECT 1 FROM inventory i WHERE i.product_id = p.id \
             AND i.quantity > i.reserved_quantity)",
        );
    }
    query
}

/// Live products and active live products of the handle's vendor (kept by a trigger).
pub fn counters(tx: &mut TenantTx<'_>) -> QueryResult<(i64, i64)> {
    let vendor_id = tx.vendor_id();
    catalog_counters::table
        .find(vendor_id)
        .select((catalog_counters::products, catalog_counters::active))
        .first(tx.conn())
        .optional()
        .map(|c| c.unwrap_or((0, 0)))
}

/// Fills the handle's vendor's catalogue with `count` generated products (French titles from
/// a small vocabulary, prices, brands, 0-50 units at the default location), in three
/// set-based statements: fast enough for 100,000 products (`cargo xtask seed --products`).
/// SKUs are `{prefix}-{n}`; answers how many were added.
pub fn generate(tx: &mut TenantTx<'_>, count: i64, prefix: &str) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id().0;
    let added = diesel::sql_query(
        "INSERT INTO products (vendor_id, sku, brand, price_cents, is_featured, low_inventory_threshold)
         SELECT $1, $2 || '-' || n,
                (ARRAY['Gëlle Fra', 'Moselle & Co', 'Lëtzebuerger Atelier', 'Nordlicht', 'Maison Ardennes'])[1 + n % 5],
                199 + (n * 7919) % 49800, n % 50 = 0, 3
         FROM generate_series(1, $3) AS n
         ON CONFLICT DO NOTHING",
    )
    .bind::<BigInt, _>(vendor_id)
    .bind::<Text, _>(prefix)
    .bind::<BigInt, _>(count)
    .execute(tx.conn())?;
    diesel::sql_query(
        "INSERT INTO product_translations (vendor_id, product_id, language, title, description)
         SELECT p.vendor_id, p.id, 'fr',
                (ARRAY['Écharpe', 'Bougie', 'Tasse', 'Lampe', 'Coussin', 'Carnet', 'Sac', 'Bonnet', 'Plaid', 'Vase'])[1 + p.id % 10]
                || ' ' || (ARRAY['en laine', 'parfumée', 'en céramique', 'design', 'brodé', 'recyclé', 'en lin', 'artisanal'])[1 + p.id % 8]
                || ' ' || p.sku,
                'Fabriqué au Luxembourg par ' || p.brand || '.'
         FROM products p
         WHERE p.vendor_id = $1 AND p.sku LIKE $2 || '-%'
           AND NOT EXISTS (SELECT 1 FROM product_translations t WHERE t.product_id = p.id)",
    )
    .bind::<BigInt, _>(vendor_id)
    .bind::<Text, _>(prefix)
    .execute(tx.conn())?;
    diesel::sql_query(
        "INSERT INTO inventory (vendor_id, product_id, location_id, quantity)
         SELECT p.vendor_id, p.id, l.id, (p.id * 31) % 51
         FROM products p JOIN inventory_locations l ON l.vendor_id = p.vendor_id AND l.is_default
         WHERE p.vendor_id = $1 AND p.sku LIKE $2 || '-%'
         ON CONFLICT DO NOTHING",
    )
    .bind::<BigInt, _>(vendor_id)
    .bind::<Text, _>(prefix)
    .execute(tx.conn())?;
    // The ledger explains every unit: one "received" movement per generated row.
    diesel::sql_query(
        "INSERT INTO inventory_movements (vendor_id, product_id, location_id, kind, quantity_delta,
                                          reserved_delta, quantity_after, reserved_after, note)
         SELECT i.vendor_id, i.product_id, i.location_id, 'received', i.quantity, 0, i.quantity, 0, 'seeded'
         FROM inventory i JOIN products p ON p.id = i.product_id
         WHERE i.vendor_id = $1 AND p.sku LIKE $2 || '-%'
           AND NOT EXISTS (SELECT 1 FROM inventory_movements m
                           WHERE m.vendor_id = i.vendor_id AND m.product_id = i.product_id)",
    )
    .bind::<BigInt, _>(vendor_id)
    .bind::<Text, _>(prefix)
    .execute(tx.conn())?;
    Ok(added)
}
