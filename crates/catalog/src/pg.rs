//! The catalogue over PostgreSQL.

use std::collections::HashMap;
use std::sync::Arc;

use db::catalog::{self as repo, Product, ProductChanges, ProductFilter, Sort};
use db::pagination::PageRequest;
use db::{Db, ImageId, ProductId, TenantScope, TenantTx};
use inventory::InventoryService;
use media::{ImageKey, MediaStore};
use validator::{Validate, ValidationError, ValidationErrors};

use crate::{
    BulkStatus, BulkStatusResult, CatalogError, CatalogService, Condition, ImageOrder, ImageView,
    Language, NewProduct, ProductPage, ProductQuery, ProductView, RemoteImage, SortOrder,
    UpdateProduct, model::TranslationView,
};

pub struct PgCatalog {
    pub(crate) db: Db,
    inventory: Arc<dyn InventoryService>,
    /// Where uploaded images are served from (their addresses are made from their keys).
    pub(crate) media: MediaStore,
}

impl PgCatalog {
    pub fn new(db: Db, inventory: Arc<dyn InventoryService>, media: MediaStore) -> Self {
        Self {
            db,
            inventory,
            media,
        }
    }

    /// The products as views: their texts, the vendor's language, their inventory totals.
    fn views(
        &self,
        tx: &mut TenantTx<'_>,
        products: Vec<Product>,
    ) -> Result<Vec<ProductView>, CatalogError> {
        let ids: Vec<ProductId> = products.iter().map(|p| p.id).collect();
        let mut texts: HashMap<ProductId, Vec<TranslationView>> = HashMap::new();
        for t in repo::translations(tx, &ids)? {
            if let Some(language) = Language::parse(&t.language) {
                texts
                    .entry(t.product_id)
                    .or_default()
                    .push(TranslationView {
                        language,
                        title: t.title,
                        description: t.description,
                    });
            }
        }
        let totals = self.inventory.totals(tx, &ids)?;
        let mut images = self.images_of(tx, &ids)?;
        let preferred =
            Language::parse(&db::settings::default_language(tx)?).unwrap_or(Language::Fr);
        Ok(products
            .into_iter()
            .map(|p| {
                let translations = texts.remove(&p.id).unwrap_or_default();
                let main = translations
                    .iter()
                    .find(|t| t.language == preferred)
                    .or_else(|| translations.first())
                    .cloned();
                ProductView {
                    id: p.id,
                    sku: p.sku,
                    language: main.as_ref().map_or(preferred, |t| t.language),
                    title: main.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
                    description: main.map(|t| t.description).unwrap_or_default(),
                    translations,
                    price_cents: p.price_cents,
                    sale_price_cents: p.sale_price_cents,
                    currency: p.currency,
                    brand: p.brand,
                    gtin: p.gtin,
                    condition: Condition::parse(&p.condition),
                    is_active: p.is_active,
                    is_featured: p.is_featured,
                    low_inventory_threshold: p.low_inventory_threshold,
                    version: p.version,
                    created_at: p.created_at,
                    updated_at: p.updated_at,
                    inventory: totals.get(&p.id).copied().unwrap_or_default(),
                    images: images.remove(&p.id).unwrap_or_default(),
                }
            })
            .collect())
    }

    fn view(&self, tx: &mut TenantTx<'_>, product: Product) -> Result<ProductView, CatalogError> {
        self.views(tx, vec![product])?
            .pop()
            .ok_or(CatalogError::NotFound)
    }

    /// Flips one flag of a live product, as an edit of the version read.
    fn toggle(
        &self,
        scope: &TenantScope,
        id: ProductId,
        flip: impl FnOnce(&Product) -> ProductChanges,
    ) -> Result<ProductView, CatalogError> {
        self.db.tenant(scope, |tx| {
            let current = repo::find(tx, id)?.ok_or(CatalogError::NotFound)?;
            let changed = repo::update(tx, id, current.version, &flip(&current))?.ok_or(
                CatalogError::VersionConflict {
                    current: current.version,
                },
            )?;
            self.view(tx, changed)
        })
    }
}

/// The texts to write: the main language's, then the others (the main one wins).
fn texts<'a>(
    main: Option<(Language, &'a str, &'a str)>,
    others: Option<&'a crate::Translations>,
) -> Vec<(&'static str, &'a str, &'a str)> {
    let mut out: Vec<(&'static str, &str, &str)> = main
        .map(|(l, t, d)| (l.as_str(), t, d))
        .into_iter()
        .collect();
    for (language, text) in others.into_iter().flat_map(|t| t.iter()) {
        if main.is_none_or(|(l, _, _)| l != language) {
            out.push((
                language.as_str(),
                text.title.trim(),
                text.description.as_deref().unwrap_or_default().trim(),
            ));
        }
    }
    out
}

/// A sale price above the price is refused like any other invalid field.
fn check_sale_price(price: i64, sale: Option<i64>) -> Result<(), CatalogError> {
    if sale.is_some_and(|s| s > price) {
        let mut errors = ValidationErrors::new();
        errors.add(
            "sale_price_cents",
            ValidationError::new("sale_price")
                .with_message("the sale price cannot be above the price".into()),
        );
        return Err(CatalogError::Validation(errors));
    }
    Ok(())
}

/// Turns the SKU's unique violation into its conflict.
fn sku_taken(e: CatalogError, sku: &str) -> CatalogError {
    match &e {
        CatalogError::Storage(s) if s.unique_violation() == Some("products_vendor_sku_key") => {
            CatalogError::SkuTaken(sku.to_owned())
        }
        _ => e,
    }
}

fn blank_to_none(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl CatalogService for PgCatalog {
    fn create(&self, scope: &TenantScope, input: &NewProduct) -> Result<ProductView, CatalogError> {
        self.db.tenant(scope, |tx| self.create_in(tx, input, &[]))
    }

    fn create_in(
        &self,
        tx: &mut TenantTx<'_>,
        input: &NewProduct,
        image_urls: &[&str],
    ) -> Result<ProductView, CatalogError> {
        input.validate()?;
        check_sale_price(input.price_cents, input.sale_price_cents)?;
        let condition = input.condition.unwrap_or_default();
        let created = (|| {
            let language = match input.language {
                Some(l) => l,
                None => {
                    Language::parse(&db::settings::default_language(tx)?).unwrap_or(Language::Fr)
                }
            };
            let product = repo::insert(
                tx,
                &repo::NewProduct {
                    sku: input.sku.trim(),
                    brand: input.brand.as_deref().unwrap_or_default().trim(),
                    gtin: blank_to_none(input.gtin.as_deref()),
                    condition: condition.as_str(),
                    price_cents: input.price_cents,
                    sale_price_cents: input.sale_price_cents,
                    currency: input.currency.as_deref().unwrap_or("EUR"),
                    is_active: input.is_active.unwrap_or(true),
                    is_featured: input.is_featured.unwrap_or(false),
                    low_inventory_threshold: input.low_inventory_threshold.unwrap_or(0),
                },
            )?;
            let main = (
                language,
                input.title.trim(),
                input.description.as_deref().unwrap_or_default().trim(),
            );
            repo::put_translations(
                tx,
                product.id,
                &texts(Some(main), input.translations.as_ref()),
            )?;
            let sources: Vec<_> = image_urls
                .iter()
                .take(usize::try_from(crate::MAX_IMAGES).unwrap_or(20))
                .map(|url| db::product_images::Source::Remote(url))
                .collect();
            if !sources.is_empty() {
                db::product_images::append(tx, product.id, &sources)?;
            }
            self.view(tx, product)
        })();
        created.map_err(|e| sku_taken(e, input.sku.trim()))
    }

    fn get(&self, scope: &TenantScope, id: ProductId) -> Result<ProductView, CatalogError> {
        self.db.tenant(scope, |tx| self.get_in(tx, id))
    }

    fn update(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &UpdateProduct,
    ) -> Result<ProductView, CatalogError> {
        self.db.tenant(scope, |tx| self.update_in(tx, id, input))
    }

    fn update_in(
        &self,
        tx: &mut TenantTx<'_>,
        id: ProductId,
        input: &UpdateProduct,
    ) -> Result<ProductView, CatalogError> {
        input.validate()?;
        let sku = input
            .sku
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        let updated = (|| {
            let current = repo::find(tx, id)?.ok_or(CatalogError::NotFound)?;
            if current.version != input.version {
                return Err(CatalogError::VersionConflict {
                    current: current.version,
                });
            }
            check_sale_price(
                input.price_cents.unwrap_or(current.price_cents),
                input.sale_price_cents.unwrap_or(current.sale_price_cents),
            )?;
            let changes = ProductChanges {
                sku: input.sku.as_deref().map(|s| s.trim().to_owned()),
                brand: input.brand.as_deref().map(|b| b.trim().to_owned()),
                gtin: input
                    .gtin
                    .as_ref()
                    .map(|g| blank_to_none(g.as_deref()).map(str::to_owned)),
                condition: input.condition.map(|c| c.as_str().to_owned()),
                price_cents: input.price_cents,
                sale_price_cents: input.sale_price_cents,
                currency: input.currency.clone(),
                ..ProductChanges::default()
            };
            let changes = ProductChanges {
                low_inventory_threshold: input.low_inventory_threshold,
                ..changes
            };
            // Every edit bumps the version, texts-only ones too, so a stale edit is always seen.
            let updated = repo::update(tx, id, input.version, &changes)?.ok_or(
                CatalogError::VersionConflict {
                    current: current.version,
                },
            )?;
            let language = match input.language {
                Some(l) => l,
                None => {
                    Language::parse(&db::settings::default_language(tx)?).unwrap_or(Language::Fr)
                }
            };
            // A new title without a description keeps the language's description.
            let kept = match (&input.title, &input.description) {
                (Some(_), None) => repo::translations(tx, &[id])?
                    .into_iter()
                    .find(|t| t.language == language.as_str())
                    .map(|t| t.description)
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let main = input.title.as_deref().map(|title| {
                (
                    language,
                    title.trim(),
                    input.description.as_deref().unwrap_or(&kept).trim(),
                )
            });
            let texts = texts(main, input.translations.as_ref());
            if !texts.is_empty() {
                repo::put_translations(tx, id, &texts)?;
            }
            self.view(tx, updated)
        })();
        updated.map_err(|e| sku_taken(e, &sku))
    }

    fn sale_lines_in(
        &self,
        tx: &mut TenantTx<'_>,
        ids: &[ProductId],
        language: Option<Language>,
    ) -> Result<HashMap<ProductId, crate::SaleLine>, CatalogError> {
        let products = repo::active_by_ids(tx, ids)?;
        Ok(self
            .views(tx, products)?
            .into_iter()
            .map(|v| (v.id, crate::SaleLine::from_view(v, language)))
            .collect())
    }

    fn get_in(&self, tx: &mut TenantTx<'_>, id: ProductId) -> Result<ProductView, CatalogError> {
        let product = repo::find(tx, id)?.ok_or(CatalogError::NotFound)?;
        self.view(tx, product)
    }

    fn delete(&self, scope: &TenantScope, id: ProductId) -> Result<(), CatalogError> {
        self.db.tenant(scope, |tx| {
            if repo::soft_delete(tx, id)? {
                Ok(())
            } else {
                Err(CatalogError::NotFound)
            }
        })
    }

    fn toggle_active(
        &self,
        scope: &TenantScope,
        id: ProductId,
    ) -> Result<ProductView, CatalogError> {
        self.toggle(scope, id, |p| ProductChanges {
            is_active: Some(!p.is_active),
            ..ProductChanges::default()
        })
    }

    fn toggle_featured(
        &self,
        scope: &TenantScope,
        id: ProductId,
    ) -> Result<ProductView, CatalogError> {
        self.toggle(scope, id, |p| ProductChanges {
            is_featured: Some(!p.is_featured),
            ..ProductChanges::default()
        })
    }

    fn set_active(
        &self,
        scope: &TenantScope,
        input: &BulkStatus,
    ) -> Result<BulkStatusResult, CatalogError> {
        input.validate()?;
        let changed = self.db.tenant(scope, |tx| {
            repo::set_active(tx, &input.ids, input.is_active)
        })?;
        Ok(BulkStatusResult { changed })
    }

    fn search(
        &self,
        scope: &TenantScope,
        query: &ProductQuery,
    ) -> Result<ProductPage, CatalogError> {
        query.validate()?;
        let page = PageRequest::new(query.page, query.per_page);
        let filter = ProductFilter {
            // Text without a letter or digit asks for nothing in particular.
            q: query
                .q
                .as_deref()
                .map(str::trim)
                .filter(|q| q.chars().any(char::is_alphanumeric))
                .map(str::to_owned),
            brand: blank_to_none(query.brand.as_deref()).map(str::to_owned),
            min_price_cents: query.min_price,
            max_price_cents: query.max_price,
            is_active: query.is_active,
            is_featured: query.is_featured,
            in_stock: query.in_stock,
            sort: match query.sort.unwrap_or_default() {
                SortOrder::Relevance => Sort::Relevance,
                SortOrder::PriceAsc => Sort::PriceAsc,
                SortOrder::PriceDesc => Sort::PriceDesc,
                SortOrder::Newest => Sort::Newest,
            },
        };
        self.db.tenant(scope, |tx| {
            let found = repo::search(tx, &filter, page.per_page, page.offset())?;
            Ok(ProductPage {
                items: self.views(tx, found.items)?,
                total: found.total,
                total_is_capped: found.capped,
                page: page.page,
                per_page: page.per_page,
            })
        })
    }

    fn export_batch(
        &self,
        scope: &TenantScope,
        after: Option<ProductId>,
        limit: i64,
    ) -> Result<Vec<ProductView>, CatalogError> {
        self.db.tenant(scope, |tx| {
            let products = repo::after(tx, after, limit.clamp(1, 1000))?;
            self.views(tx, products)
        })
    }

    fn sitemap(
        &self,
        scope: &TenantScope,
        limit: i64,
    ) -> Result<Vec<(ProductId, chrono::DateTime<chrono::Utc>)>, CatalogError> {
        Ok(self
            .db
            .tenant(scope, |tx| repo::active_entries(tx, limit))?)
    }

    fn replace_remote_images_in(
        &self,
        tx: &mut TenantTx<'_>,
        id: ProductId,
        urls: &[String],
    ) -> Result<(), CatalogError> {
        self.replace_remote(tx, id, urls)
    }

    fn images(&self, scope: &TenantScope, id: ProductId) -> Result<Vec<ImageView>, CatalogError> {
        self.list_images(scope, id)
    }

    fn add_remote_image(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &RemoteImage,
    ) -> Result<ImageView, CatalogError> {
        self.add_remote(scope, id, input)
    }

    fn add_uploaded_image(
        &self,
        scope: &TenantScope,
        id: ProductId,
        key: &ImageKey,
        size: (u32, u32),
    ) -> Result<ImageView, CatalogError> {
        self.add_upload(scope, id, key, size)
    }

    fn remove_image(
        &self,
        scope: &TenantScope,
        id: ProductId,
        image: ImageId,
    ) -> Result<Option<ImageKey>, CatalogError> {
        self.remove(scope, id, image)
    }

    fn reorder_images(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &ImageOrder,
    ) -> Result<Vec<ImageView>, CatalogError> {
        self.reorder(scope, id, input)
    }
}
