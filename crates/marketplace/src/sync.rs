//! Re-imports reaching published products. When an import changes a staged product that was
//! published, each field of the catalogue product follows the feed **unless the vendor
//! changed it**: a field whose value in the catalogue no longer equals the feed value last
//! written into it (kept in `synced`) is an override — given when publishing or edited later —
//! and stays as the vendor left it.

use std::collections::BTreeMap;

use catalog::{
    CatalogError, CatalogService, Condition, Language, ProductText, ProductView, Translations,
    UpdateProduct,
};
use db::marketplace::{self as repo, Staged};
use db::{Db, ProductId, TenantScope, TenantTx};
use serde::{Deserialize, Serialize};

/// The feed's values as last written into a published product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Synced {
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: String,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub condition: String,
    pub texts: BTreeMap<String, Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Text {
    pub title: String,
    pub description: String,
}

impl Synced {
    pub(crate) fn of(staged: &Staged, texts: &[repo::StagedText]) -> Self {
        Synced {
            price_cents: staged.price_cents,
            sale_price_cents: staged.sale_price_cents,
            currency: staged.currency.clone(),
            brand: staged.brand.clone(),
            gtin: staged.gtin.clone(),
            condition: staged.condition.clone(),
            texts: texts
                .iter()
                .map(|t| {
                    (
                        t.language.clone(),
                        Text {
                            title: t.title.clone(),
                            description: t.description.clone(),
                        },
                    )
                })
                .collect(),
        }
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Brings an import's changes into the published products; answers how many were updated.
/// A product that cannot take them (deleted meanwhile, a sale price the vendor set above the
/// feed's new price) is left as it is, and logged.
pub(crate) fn sync_published(
    db: &Db,
    catalog: &dyn CatalogService,
    scope: &TenantScope,
    import_id: i64,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<usize, db::Error> {
    let ids = db.tenant(scope, |tx| repo::published_changed(tx, import_id, since))?;
    let mut updated = 0;
    for id in ids {
        match db.tenant(scope, |tx| sync_one(catalog, tx, id)) {
            Ok(true) => updated += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(staged = id, error = %e, "published product not brought up to date")
            }
        }
    }
    Ok(updated)
}

/// One product: `true` when something changed.
fn sync_one(
    catalog: &dyn CatalogService,
    tx: &mut TenantTx<'_>,
    id: i64,
) -> Result<bool, CatalogError> {
    let Some(staged) = repo::lock_staged(tx, id)? else {
        return Ok(false);
    };
    let (Some(product_id), Some(synced)) = (staged.product_id, staged.synced.clone()) else {
        return Ok(false);
    };
    let Ok(before) = serde_json::from_value::<Synced>(synced) else {
        return Ok(false);
    };
    let product = match catalog.get_in(tx, ProductId(product_id)) {
        Ok(p) => p,
        Err(CatalogError::NotFound) => return Ok(false),
        Err(e) => return Err(e),
    };
    let feed = Synced::of(&staged, &repo::staged_texts(tx, &[id])?);
    let (edit, after) = changes(&product, &before, &feed);
    if after == before {
        return Ok(false);
    }
    if let Some(edit) = edit {
        catalog.update_in(tx, product.id, &edit)?;
    }
    repo::set_synced(tx, id, &after.json())?;
    Ok(true)
}

/// The edit that brings the feed's new values into the fields the vendor left alone, and the
/// record of feed values afterwards (overridden fields keep their old record, so they stay
/// overridden).
fn changes(
    product: &ProductView,
    before: &Synced,
    feed: &Synced,
) -> (Option<UpdateProduct>, Synced) {
    let mut after = before.clone();
    let mut edit = UpdateProduct {
        version: product.version,
        ..UpdateProduct::default()
    };
    let mut any = false;
    // A field follows the feed when the product still holds the value last written.
    macro_rules! follow {
        ($current:expr, $synced:ident, $apply:expr) => {
            if feed.$synced != before.$synced && $current == before.$synced {
                $apply;
                after.$synced = feed.$synced.clone();
                any = true;
            }
        };
    }
    follow!(
        product.price_cents,
        price_cents,
        edit.price_cents = Some(feed.price_cents)
    );
    follow!(
        product.sale_price_cents,
        sale_price_cents,
        edit.sale_price_cents = Some(feed.sale_price_cents)
    );
    follow!(
        product.currency,
        currency,
        edit.currency = Some(feed.currency.clone())
    );
    follow!(
        Some(product.brand.clone()).filter(|b| !b.is_empty()),
        brand,
        edit.brand = Some(feed.brand.clone().unwrap_or_default())
    );
    follow!(product.gtin, gtin, edit.gtin = Some(feed.gtin.clone()));
    follow!(
        product.condition.as_str(),
        condition,
        edit.condition = Some(Condition::parse(&feed.condition))
    );
    let mut texts = Translations::default();
    for (language, new) in &feed.texts {
        let Some(lang) = Language::parse(language) else {
            continue;
        };
        let current = product.translations.iter().find(|t| t.language == lang);
        let old = before.texts.get(language);
        let follows = |now: Option<&str>, was: Option<&str>| now == was;
        let title_follows = follows(
            current.map(|t| t.title.as_str()),
            old.map(|t| t.title.as_str()),
        );
        let description_follows = follows(
            current.map(|t| t.description.as_str()),
            old.map(|t| t.description.as_str()),
        );
        let title = if title_follows {
            new.title.clone()
        } else {
            current.map(|t| t.title.clone()).unwrap_or_default()
        };
        let description = if description_follows {
            new.description.clone()
        } else {
            current.map(|t| t.description.clone()).unwrap_or_default()
        };
        let unchanged = current.is_some_and(|t| t.title == title && t.description == description);
        if unchanged || title.is_empty() {
            continue;
        }
        let recorded = after
            .texts
            .entry(language.clone())
            .or_insert_with(|| new.clone());
        if title_follows {
            recorded.title = new.title.clone();
        }
        if description_follows {
            recorded.description = new.description.clone();
        }
        let text = Some(ProductText {
            title,
            description: Some(description),
        });
        match lang {
            Language::Fr => texts.fr = text,
            Language::De => texts.de = text,
            Language::En => texts.en = text,
        }
        any = true;
    }
    if texts.iter().next().is_some() {
        edit.translations = Some(texts);
    }
    (any.then_some(edit), after)
}
