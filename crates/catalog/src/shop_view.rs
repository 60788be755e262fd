//! The catalogue as a shop's visitors see it: active products only, without what is the
//! vendor's business (stock counts, reservations, thresholds, versions, SKU history).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::{Condition, Language, ProductQuery, ProductView, SortOrder};

/// A product on sale, its texts in the language asked for (else its main language).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShopProduct {
    pub id: i64,
    pub sku: String,
    /// The language of `title` and `description`.
    pub language: Language,
    pub title: String,
    pub description: String,
    /// The texts in every language the product has.
    pub translations: Vec<crate::TranslationView>,
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: String,
    pub brand: String,
    pub gtin: Option<String>,
    pub condition: Condition,
    pub is_featured: bool,
    /// Whether units can be bought now.
    pub available: bool,
    pub images: Vec<ShopImage>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShopImage {
    pub url: String,
    pub thumbnail_url: String,
}

impl ShopProduct {
    pub fn from_view(product: ProductView, language: Option<Language>) -> Self {
        let chosen = language.and_then(|l| product.translations.iter().find(|t| t.language == l));
        let (language, title, description) = match chosen {
            Some(t) => (t.language, t.title.clone(), t.description.clone()),
            None => (product.language, product.title, product.description),
        };
        ShopProduct {
            id: product.id.0,
            sku: product.sku,
            language,
            title,
            description,
            translations: product.translations,
            price_cents: product.price_cents,
            sale_price_cents: product.sale_price_cents,
            currency: product.currency,
            brand: product.brand,
            gtin: product.gtin,
            condition: product.condition,
            is_featured: product.is_featured,
            available: product.inventory.available > 0,
            images: product
                .images
                .into_iter()
                .map(|i| ShopImage {
                    url: i.url,
                    thumbnail_url: i.thumbnail_url,
                })
                .collect(),
        }
    }
}

/// A shop's product list: search, filters, sorts, pages (active products only).
#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShopQuery {
    /// Words to find in titles, brands and descriptions (any language; accents and case do not
    /// matter; the last word may be the start of a word).
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub brand: Option<String>,
    /// In cents.
    #[validate(range(min = 0))]
    #[param(minimum = 0)]
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub min_price: Option<i64>,
    /// In cents.
    #[validate(range(min = 0))]
    #[param(minimum = 0)]
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub max_price: Option<i64>,
    /// Only products that can be bought now.
    pub in_stock: Option<bool>,
    #[param(inline)]
    pub sort: Option<SortOrder>,
    /// The language of each product's `title` and `description` (else its main language).
    #[param(inline)]
    pub lang: Option<Language>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

impl ShopQuery {
    /// The catalogue search it is: the same, limited to active products.
    pub fn search(&self) -> ProductQuery {
        ProductQuery {
            q: self.q.clone(),
            brand: self.brand.clone(),
            min_price: self.min_price,
            max_price: self.max_price,
            is_active: Some(true),
            is_featured: None,
            in_stock: self.in_stock,
            sort: self.sort,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// A page of a shop's products (see [`crate::ProductPage`] for `total`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShopProductPage {
    pub items: Vec<ShopProduct>,
    pub total: i64,
    pub total_is_capped: bool,
    pub page: i64,
    pub per_page: i64,
}

impl ShopProductPage {
    pub fn from_page(page: crate::ProductPage, language: Option<Language>) -> Self {
        ShopProductPage {
            items: page
                .items
                .into_iter()
                .map(|p| ShopProduct::from_view(p, language))
                .collect(),
            total: page.total,
            total_is_capped: page.total_is_capped,
            page: page.page,
            per_page: page.per_page,
        }
    }
}

/// What a shop sells one product for now, as carts and checkout read it: the price paid
/// (the sale price when it is lower), the title in the buyer's language, how many units can
/// be bought.
#[derive(Debug, Clone)]
pub struct SaleLine {
    pub product_id: db::ProductId,
    pub sku: String,
    pub title: String,
    pub unit_price_cents: i64,
    pub currency: String,
    pub available: i64,
    pub thumbnail_url: Option<String>,
}

impl SaleLine {
    pub fn from_view(product: ProductView, language: Option<Language>) -> Self {
        let title = language
            .and_then(|l| product.translations.iter().find(|t| t.language == l))
            .map_or(product.title, |t| t.title.clone());
        let unit_price_cents = product
            .sale_price_cents
            .filter(|sale| *sale < product.price_cents)
            .unwrap_or(product.price_cents);
        SaleLine {
            product_id: product.id,
            sku: product.sku,
            title,
            unit_price_cents,
            currency: product.currency,
            available: product.inventory.available,
            thumbnail_url: product.images.first().map(|i| i.thumbnail_url.clone()),
        }
    }
}
