//! Product images (vendor-owned; row-level security applies): ordered by `position`, each
//! either a remote address or the key of an upload in the media store.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{product_images, products};
use crate::{ImageId, ProductId, TenantTx};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_images, check_for_backend(diesel::pg::Pg))]
pub struct Image {
    pub id: ImageId,
    pub product_id: ProductId,
    pub position: i32,
    pub remote_url: Option<String>,
    pub storage_key: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// Where a new image comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Remote(&'a str),
    Upload {
        key: &'a str,
        width: i32,
        height: i32,
    },
}

/// The images of these products, each product's in order.
pub fn of_products(tx: &mut TenantTx<'_>, ids: &[ProductId]) -> QueryResult<Vec<Image>> {
    let vendor_id = tx.vendor_id();
    product_images::table
        .filter(product_images::vendor_id.eq(vendor_id))
        .filter(product_images::product_id.eq_any(ids))
        .order((
            product_images::product_id,
            product_images::position,
            product_images::id,
        ))
        .select(Image::as_select())
        .load(tx.conn())
}

/// Locks a live product against concurrent image changes (so positions stay a sequence) and
/// answers how many images it has; `None` when there is no such live product.
pub fn lock_product(tx: &mut TenantTx<'_>, product: ProductId) -> QueryResult<Option<i64>> {
    let vendor_id = tx.vendor_id();
    let found = products::table
        .filter(products::vendor_id.eq(vendor_id))
        .filter(products::id.eq(product))
        .filter(products::deleted_at.is_null())
        .select(products::id)
        .for_update()
        .first::<ProductId>(tx.conn())
        .optional()?;
    if found.is_none() {
        return Ok(None);
    }
    product_images::table
        .filter(product_images::vendor_id.eq(vendor_id))
        .filter(product_images::product_id.eq(product))
        .count()
        .get_result(tx.conn())
        .map(Some)
}

/// Appends images after the product's last one (call [`lock_product`] first).
pub fn append(
    tx: &mut TenantTx<'_>,
    product: ProductId,
    sources: &[Source<'_>],
) -> QueryResult<Vec<Image>> {
    let vendor_id = tx.vendor_id();
    let next: Option<i32> = product_images::table
        .filter(product_images::vendor_id.eq(vendor_id))
        .filter(product_images::product_id.eq(product))
        .select(diesel::dsl::max(product_images::position))
        .first(tx.conn())?;
    let first = next.map_or(0, |p| p + 1);
    let rows: Vec<_> = sources
        .iter()
        .zip(first..)
        .map(|(source, position)| {
            let (remote, key, width, height) = match *source {
                Source::Remote(url) => (Some(url), None, None, None),
                Source::Upload { key, width, height } => {
                    (None, Some(key), Some(width), Some(height))
                }
            };
            (
                product_images::vendor_id.eq(vendor_id),
                product_images::product_id.eq(product),
                product_images::position.eq(position),
                product_images::remote_url.eq(remote),
                product_images::storage_key.eq(key),
                product_images::width.eq(width),
                product_images::height.eq(height),
            )
        })
        .collect();
    diesel::insert_into(product_images::table)
        .values(rows)
        .returning(Image::as_returning())
        .get_results(tx.conn())
}

/// Removes one image of the product; answers the removed row (its upload's files are the
/// caller's to delete).
pub fn remove(
    tx: &mut TenantTx<'_>,
    product: ProductId,
    image: ImageId,
) -> QueryResult<Option<Image>> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        product_images::table
            .filter(product_images::vendor_id.eq(vendor_id))
            .filter(product_images::product_id.eq(product))
            .filter(product_images::id.eq(image)),
    )
    .returning(Image::as_returning())
    .get_result(tx.conn())
    .optional()
}

/// Removes the product's images given by address (uploads stay); answers how many.
pub fn remove_remote(tx: &mut TenantTx<'_>, product: ProductId) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        product_images::table
            .filter(product_images::vendor_id.eq(vendor_id))
            .filter(product_images::product_id.eq(product))
            .filter(product_images::storage_key.is_null()),
    )
    .execute(tx.conn())
}

/// Gives the product's images the positions 0, 1, ... in the order of `ids` (which the
/// caller has checked name exactly the product's images).
pub fn reorder(tx: &mut TenantTx<'_>, product: ProductId, ids: &[ImageId]) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    for (position, id) in (0..).zip(ids) {
        diesel::update(
            product_images::table
                .filter(product_images::vendor_id.eq(vendor_id))
                .filter(product_images::product_id.eq(product))
                .filter(product_images::id.eq(id)),
        )
        .set(product_images::position.eq(position))
        .execute(tx.conn())?;
    }
    Ok(())
}
