//! Staged products as the API shows them, and publishing one into the catalogue.

use std::collections::HashMap;

use catalog::{
    CatalogError, CatalogService, Condition, Language, NewProduct, ProductText, Translations,
};
use db::TenantTx;
use db::marketplace::{self as repo, Staged};

use crate::feed::Availability;
use crate::{PublishOverride, StagedProductView, StagedText};

/// The views of staged rows, their texts read in one query.
pub(crate) fn views(
    tx: &mut TenantTx<'_>,
    rows: Vec<Staged>,
    with_raw: bool,
) -> diesel::QueryResult<Vec<StagedProductView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut texts: HashMap<i64, Vec<StagedText>> = HashMap::new();
    for t in repo::staged_texts(tx, &ids)? {
        let Some(language) = Language::parse(&t.language) else {
            continue;
        };
        texts
            .entry(t.marketplace_product_id)
            .or_default()
            .push(StagedText {
                language,
                title: t.title,
                description: t.description,
                link: t.link,
                raw: with_raw.then_some(t.raw),
            });
    }
    Ok(rows
        .into_iter()
        .map(|r| StagedProductView {
            translations: texts.remove(&r.id).unwrap_or_default(),
            id: r.id,
            external_id: r.external_id,
            price_cents: r.price_cents,
            sale_price_cents: r.sale_price_cents,
            currency: r.currency,
            availability: Availability::parse_stored(&r.availability)
                .unwrap_or(Availability::InStock),
            brand: r.brand,
            gtin: r.gtin,
            mpn: r.mpn,
            condition: Condition::parse(&r.condition),
            image_link: r.image_link,
            additional_image_links: r.additional_image_links.into_iter().flatten().collect(),
            google_product_category: r.google_product_category,
            product_type: r.product_type,
            item_group_id: r.item_group_id,
            color: r.color,
            size: r.size,
            product_id: r.product_id,
            missing_since: r.missing_since,
            updated_at: r.updated_at,
            overridden: None,
        })
        .collect())
}

/// What publishing one staged product came to.
pub(crate) enum Outcome {
    /// The catalogue product's id, and the feed's availability (for its first stock).
    Published(i64, Availability),
    AlreadyPublished,
}

/// Why one staged product was not published (said to the vendor as is).
pub(crate) struct Refusal(pub String);

impl From<CatalogError> for Refusal {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::Validation(errors) => Refusal(
                errors
                    .field_errors()
                    .iter()
                    .map(|(field, errs)| {
                        let says = errs
                            .iter()
                            .map(|e| e.message.as_deref().unwrap_or(e.code.as_ref()).to_owned())
                            .collect::<Vec<_>>()
                            .join(", ");
                        format!("{field}: {says}")
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            other => Refusal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for Refusal {
    fn from(e: diesel::result::Error) -> Self {
        Refusal::from(CatalogError::from(e))
    }
}

/// Publishes staged product `id` inside `tx` (its own transaction): the catalogue product
/// and the staged row's link commit together.
pub(crate) fn publish_one(
    catalog: &dyn CatalogService,
    tx: &mut TenantTx<'_>,
    id: i64,
    change: &PublishOverride,
    activate: bool,
) -> Result<Outcome, Refusal> {
    let staged =
        repo::lock_staged(tx, id)?.ok_or_else(|| Refusal("no such staged product".into()))?;
    if staged.product_id.is_some() {
        return Ok(Outcome::AlreadyPublished);
    }
    let texts = repo::staged_texts(tx, &[id])?;
    let preferred = Language::parse(&db::settings::default_language(tx)?).unwrap_or(Language::Fr);
    let main = texts
        .iter()
        .find(|t| t.language == preferred.as_str())
        .or_else(|| texts.first())
        .ok_or_else(|| Refusal("it has no text in any language".into()))?;
    let main_language = Language::parse(&main.language).unwrap_or(preferred);
    let mut others = Translations::default();
    for t in texts.iter().filter(|t| t.language != main.language) {
        let text = Some(ProductText {
            title: t.title.clone(),
            description: Some(t.description.clone()),
        });
        match Language::parse(&t.language) {
            Some(Language::Fr) => others.fr = text,
            Some(Language::De) => others.de = text,
            Some(Language::En) => others.en = text,
            None => {}
        }
    }
    let price = change.price_cents.unwrap_or(staged.price_cents);
    let input = NewProduct {
        sku: change
            .sku
            .clone()
            .unwrap_or_else(|| staged.external_id.clone()),
        title: change.title.clone().unwrap_or_else(|| main.title.clone()),
        description: Some(
            change
                .description
                .clone()
                .unwrap_or_else(|| main.description.clone()),
        ),
        language: Some(main_language),
        translations: Some(others),
        price_cents: price,
        // A lower price given by the vendor replaces a sale price above it.
        sale_price_cents: staged.sale_price_cents.filter(|sale| *sale <= price),
        currency: Some(staged.currency.clone()),
        brand: staged.brand.clone(),
        gtin: staged.gtin.clone(),
        condition: Some(Condition::parse(&staged.condition)),
        is_active: Some(activate),
        is_featured: None,
        low_inventory_threshold: None,
    };
    let images = crate::sync::feed_images(&staged);
    let product = catalog.create_in(tx, &input, &images)?;
    repo::link_product(
        tx,
        id,
        product.id,
        &crate::sync::Synced::of(&staged, &texts).json(),
    )?;
    let availability =
        Availability::parse_stored(&staged.availability).unwrap_or(Availability::InStock);
    Ok(Outcome::Published(product.id.0, availability))
}
