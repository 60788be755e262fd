//! Re-imports reaching published products. When an import changes a staged product that was
//! published, each field of the catalogue product follows the feed **unless the vendor
//! changed it**: a field whose value in the catalogue no longer equals the feed value last
//! written into it (kept in `synced`) is an override — given when publishing or edited later —
//! and stays as the vendor left it until the vendor resets it.

use std::collections::{BTreeMap, BTreeSet};

use catalog::{
    CatalogError, CatalogService, Condition, Language, ProductText, ProductView, Translations,
    UpdateProduct,
};
use db::marketplace::{self as repo, Staged};
use db::{Db, TenantScope, TenantTx};
use serde::{Deserialize, Serialize};

use crate::FeedField;

/// A product's feed-kept values: the feed's as last written into it (`synced`), the feed's
/// now, or the catalogue product's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Synced {
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: String,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub condition: String,
    pub texts: BTreeMap<String, Text>,
    /// Image addresses in order (a product's uploads are the vendor's own and not listed).
    #[serde(default)]
    pub images: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Text {
    pub title: String,
    pub description: String,
}

/// One value that follows the feed: a field, or a field's text in one language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Field(FeedField),
    Text(FeedField, String),
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
            images: feed_images(staged).into_iter().map(str::to_owned).collect(),
        }
    }

    /// The catalogue product's current values.
    fn of_product(product: &ProductView) -> Self {
        Synced {
            price_cents: product.price_cents,
            sale_price_cents: product.sale_price_cents,
            currency: product.currency.clone(),
            brand: Some(product.brand.clone()).filter(|b| !b.is_empty()),
            gtin: product.gtin.clone(),
            condition: product.condition.as_str().to_owned(),
            texts: product
                .translations
                .iter()
                .map(|t| {
                    (
                        t.language.as_str().to_owned(),
                        Text {
                            title: t.title.clone(),
                            description: t.description.clone(),
                        },
                    )
                })
                .collect(),
            images: product
                .images
                .iter()
                .filter(|i| i.source == catalog::ImageSource::Remote)
                .map(|i| i.url.clone())
                .collect(),
        }
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// A slot's value, comparable across the three records.
    fn get(&self, slot: &Slot) -> serde_json::Value {
        use serde_json::json;
        match slot {
            Slot::Field(FeedField::Price) => json!(self.price_cents),
            Slot::Field(FeedField::SalePrice) => json!(self.sale_price_cents),
            Slot::Field(FeedField::Currency) => json!(self.currency),
            Slot::Field(FeedField::Brand) => json!(self.brand),
            Slot::Field(FeedField::Gtin) => json!(self.gtin),
            Slot::Field(FeedField::Condition) => json!(self.condition),
            Slot::Field(FeedField::Images) => json!(self.images),
            Slot::Field(FeedField::Title | FeedField::Description) => serde_json::Value::Null,
            Slot::Text(field, language) => {
                let text = self.texts.get(language);
                match field {
                    FeedField::Title => json!(text.map(|t| &t.title)),
                    _ => json!(text.map(|t| &t.description)),
                }
            }
        }
    }

    /// Takes a slot's value from `from`.
    fn copy(&mut self, slot: &Slot, from: &Synced) {
        match slot {
            Slot::Field(FeedField::Price) => self.price_cents = from.price_cents,
            Slot::Field(FeedField::SalePrice) => self.sale_price_cents = from.sale_price_cents,
            Slot::Field(FeedField::Currency) => self.currency = from.currency.clone(),
            Slot::Field(FeedField::Brand) => self.brand = from.brand.clone(),
            Slot::Field(FeedField::Gtin) => self.gtin = from.gtin.clone(),
            Slot::Field(FeedField::Condition) => self.condition = from.condition.clone(),
            Slot::Field(FeedField::Images) => self.images = from.images.clone(),
            Slot::Field(FeedField::Title | FeedField::Description) => {}
            Slot::Text(field, language) => {
                let Some(source) = from.texts.get(language) else {
                    return;
                };
                let text = self
                    .texts
                    .entry(language.clone())
                    .or_insert_with(|| source.clone());
                match field {
                    FeedField::Title => text.title = source.title.clone(),
                    _ => text.description = source.description.clone(),
                }
            }
        }
    }
}

impl Slot {
    fn field(&self) -> FeedField {
        match self {
            Slot::Field(f) | Slot::Text(f, _) => *f,
        }
    }
}

/// A published product's three records: the catalogue's values, the feed's as last written
/// (`before`) and the feed's now.
struct Published {
    product: ProductView,
    current: Synced,
    before: Synced,
    feed: Synced,
}

impl Published {
    /// The published product of staged row `id`, locked; `None` when it is not published
    /// (or its catalogue product was deleted).
    fn load(
        catalog: &dyn CatalogService,
        tx: &mut TenantTx<'_>,
        id: i64,
    ) -> Result<Option<Self>, CatalogError> {
        let Some(staged) = repo::lock_staged(tx, id)? else {
            return Ok(None);
        };
        let (Some(product_id), Some(synced)) = (staged.product_id, staged.synced.clone()) else {
            return Ok(None);
        };
        let Ok(before) = serde_json::from_value::<Synced>(synced) else {
            return Ok(None);
        };
        let product = match catalog.get_in(tx, db::ProductId(product_id)) {
            Ok(p) => p,
            Err(CatalogError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let feed = Synced::of(&staged, &repo::staged_texts(tx, &[id])?);
        Ok(Some(Published {
            current: Synced::of_product(&product),
            product,
            before,
            feed,
        }))
    }

    /// Every slot of the three records; a language whose feed text has no title has none.
    fn slots(&self) -> Vec<Slot> {
        let mut slots: Vec<Slot> = FeedField::ALL
            .into_iter()
            .filter(|f| !matches!(f, FeedField::Title | FeedField::Description))
            .map(Slot::Field)
            .collect();
        let languages: BTreeSet<&String> = [&self.current, &self.before, &self.feed]
            .into_iter()
            .flat_map(|s| s.texts.keys())
            .collect();
        for language in languages {
            if self
                .feed
                .texts
                .get(language)
                .is_some_and(|t| !t.title.is_empty())
            {
                slots.push(Slot::Text(FeedField::Title, language.clone()));
                slots.push(Slot::Text(FeedField::Description, language.clone()));
            }
        }
        slots
    }

    /// The fields the vendor changed away from the feed.
    fn overridden(&self) -> Vec<FeedField> {
        let fields: BTreeSet<FeedField> = self
            .slots()
            .into_iter()
            .filter(|s| self.current.get(s) != self.before.get(s))
            .map(|s| s.field())
            .collect();
        fields.into_iter().collect()
    }

    /// Writes the feed's values of `slots` into the product and the record: `true` when
    /// something changed.
    fn take_feed(
        &self,
        catalog: &dyn CatalogService,
        tx: &mut TenantTx<'_>,
        id: i64,
        slots: &[Slot],
    ) -> Result<bool, CatalogError> {
        let mut target = self.current.clone();
        let mut after = self.before.clone();
        for slot in slots {
            target.copy(slot, &self.feed);
            after.copy(slot, &self.feed);
        }
        if after == self.before && target == self.current {
            return Ok(false);
        }
        if let Some(edit) = edit(&self.product, &self.current, &target) {
            catalog.update_in(tx, self.product.id, &edit)?;
        }
        if target.images != self.current.images {
            catalog.replace_remote_images_in(tx, self.product.id, &target.images)?;
        }
        repo::set_synced(tx, id, &after.json())?;
        Ok(true)
    }
}

/// The feed's image addresses of a staged product, main first, as many as a product keeps.
pub(crate) fn feed_images(staged: &Staged) -> Vec<&str> {
    staged
        .image_link
        .iter()
        .map(String::as_str)
        .chain(
            staged
                .additional_image_links
                .iter()
                .flatten()
                .map(String::as_str),
        )
        .take(usize::try_from(catalog::MAX_IMAGES).unwrap_or(20))
        .collect()
}

/// The edit that turns the product's values `current` into `target`, if they differ.
fn edit(product: &ProductView, current: &Synced, target: &Synced) -> Option<UpdateProduct> {
    fn changed<T: PartialEq + Clone>(now: &T, to: &T) -> Option<T> {
        (now != to).then(|| to.clone())
    }
    let mut texts = Translations::default();
    for (language, text) in &target.texts {
        let (Some(lang), false) = (Language::parse(language), text.title.is_empty()) else {
            continue;
        };
        if current.texts.get(language) == Some(text) {
            continue;
        }
        let text = Some(ProductText {
            title: text.title.clone(),
            description: Some(text.description.clone()),
        });
        match lang {
            Language::Fr => texts.fr = text,
            Language::De => texts.de = text,
            Language::En => texts.en = text,
        }
    }
    let any_text = texts.iter().next().is_some();
    let edit = UpdateProduct {
        version: product.version,
        price_cents: changed(&current.price_cents, &target.price_cents),
        sale_price_cents: changed(&current.sale_price_cents, &target.sale_price_cents),
        currency: changed(&current.currency, &target.currency),
        brand: changed(&current.brand, &target.brand).map(Option::unwrap_or_default),
        gtin: changed(&current.gtin, &target.gtin),
        condition: changed(&current.condition, &target.condition).map(|c| Condition::parse(&c)),
        translations: any_text.then_some(texts),
        ..UpdateProduct::default()
    };
    let any = edit.price_cents.is_some()
        || edit.sale_price_cents.is_some()
        || edit.currency.is_some()
        || edit.brand.is_some()
        || edit.gtin.is_some()
        || edit.condition.is_some()
        || edit.translations.is_some();
    any.then_some(edit)
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

/// One product: the feed's changes reach the fields that still hold the feed's last values.
fn sync_one(
    catalog: &dyn CatalogService,
    tx: &mut TenantTx<'_>,
    id: i64,
) -> Result<bool, CatalogError> {
    let Some(published) = Published::load(catalog, tx, id)? else {
        return Ok(false);
    };
    let following: Vec<Slot> = published
        .slots()
        .into_iter()
        .filter(|s| {
            published.current.get(s) == published.before.get(s)
                && published.feed.get(s) != published.before.get(s)
        })
        .collect();
    published.take_feed(catalog, tx, id, &following)
}

/// The fields of staged row `id`'s published product that the vendor overrode; `None` when
/// it is not published.
pub(crate) fn overridden(
    catalog: &dyn CatalogService,
    tx: &mut TenantTx<'_>,
    id: i64,
) -> Result<Option<Vec<FeedField>>, CatalogError> {
    Ok(Published::load(catalog, tx, id)?.map(|p| p.overridden()))
}

/// Gives `fields` of staged row `id`'s published product the feed's values again, so they
/// follow the feed from now on; `false` when it is not published.
pub(crate) fn reset(
    catalog: &dyn CatalogService,
    tx: &mut TenantTx<'_>,
    id: i64,
    fields: &[FeedField],
) -> Result<bool, CatalogError> {
    let Some(published) = Published::load(catalog, tx, id)? else {
        return Ok(false);
    };
    let chosen: Vec<Slot> = published
        .slots()
        .into_iter()
        .filter(|s| fields.contains(&s.field()))
        .collect();
    published.take_feed(catalog, tx, id, &chosen)?;
    Ok(true)
}
