//! Inputs and answers of the catalogue.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use db::ProductId;
use inventory::Available;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

/// The languages a catalogue is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fr,
    De,
    En,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Fr, Language::De, Language::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::De => "de",
            Language::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == code)
    }

    /// An amount as readers of this language write it: `€12.50` in English, `12,50 €` in
    /// French and German (other currencies by their code).
    pub fn money(self, cents: i64, currency: &str) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let units = format!("{sign}{}.{:02}", (cents / 100).abs(), (cents % 100).abs());
        match (currency, self) {
            ("EUR", Language::En) => format!("€{units}"),
            ("EUR", _) => format!("{} €", units.replace('.', ",")),
            (other, Language::En) => format!("{other} {units}"),
            (other, _) => format!("{} {other}", units.replace('.', ",")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Condition {
    #[default]
    New,
    Refurbished,
    Used,
}

impl Condition {
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::New => "new",
            Condition::Refurbished => "refurbished",
            Condition::Used => "used",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "refurbished" => Condition::Refurbished,
            "used" => Condition::Used,
            _ => Condition::New,
        }
    }
}

/// A product's title and description in one language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductText {
    #[validate(length(
        min = 1,
        max = 300,
        message = "enter a title of at most 300 characters"
    ))]
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
}

/// Texts in the other languages (each optional).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Translations {
    #[validate(nested)]
    pub fr: Option<ProductText>,
    #[validate(nested)]
    pub de: Option<ProductText>,
    #[validate(nested)]
    pub en: Option<ProductText>,
}

impl Translations {
    pub fn iter(&self) -> impl Iterator<Item = (Language, &ProductText)> {
        [
            (Language::Fr, &self.fr),
            (Language::De, &self.de),
            (Language::En, &self.en),
        ]
        .into_iter()
        .filter_map(|(l, t)| t.as_ref().map(|t| (l, t)))
    }
}

/// The most a price may be: 1,000,000,000.00 in any currency.
pub const MAX_PRICE_CENTS: i64 = 100_000_000_000;

static SKU: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new("^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$").ok());
static CURRENCY: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new("^[A-Z]{3}$").ok());

/// A SKU as the catalogue takes it (also checked where SKUs are given elsewhere, e.g. when
/// publishing imported products).
pub fn valid_sku(value: &str) -> Result<(), ValidationError> {
    if SKU.as_ref().is_some_and(|r| r.is_match(value)) {
        Ok(())
    } else {
        Err(ValidationError::new("sku").with_message(
            "use 1-64 letters, digits, dots, dashes, underscores or slashes, starting with a letter or digit".into(),
        ))
    }
}

fn valid_currency(value: &str) -> Result<(), ValidationError> {
    if CURRENCY.as_ref().is_some_and(|r| r.is_match(value)) {
        Ok(())
    } else {
        Err(ValidationError::new("currency")
            .with_message("use a three-letter code like EUR".into()))
    }
}

fn valid_gtin(value: &str) -> Result<(), ValidationError> {
    crate::gtin::check(value)
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    /// The vendor's own article number, unique within its catalogue.
    #[validate(custom(function = "valid_sku"))]
    #[schema(
        pattern = "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$",
        min_length = 1,
        max_length = 64
    )]
    pub sku: String,
    #[validate(length(
        min = 1,
        max = 300,
        message = "enter a title of at most 300 characters"
    ))]
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    /// The language of `title` and `description`; the vendor's default when absent.
    pub language: Option<Language>,
    /// Texts in other languages.
    #[validate(nested)]
    pub translations: Option<Translations>,
    #[validate(range(min = 0, max = MAX_PRICE_CENTS))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub price_cents: i64,
    /// At most `price_cents`.
    #[validate(range(min = 0, max = MAX_PRICE_CENTS))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub sale_price_cents: Option<i64>,
    /// ISO 4217 code; the platform's default currency when absent.
    #[validate(custom(function = "valid_currency"))]
    #[schema(pattern = "^[A-Z]{3}$", min_length = 3, max_length = 3)]
    pub currency: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub brand: Option<String>,
    /// EAN-8, UPC-A, EAN-13 or GTIN-14 with a valid check digit.
    #[validate(custom(function = "valid_gtin"))]
    #[schema(pattern = "^([0-9]{8}|[0-9]{12,14})$")]
    pub gtin: Option<String>,
    pub condition: Option<Condition>,
    pub is_active: Option<bool>,
    pub is_featured: Option<bool>,
    /// Available units at or below which the product counts as low.
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub low_inventory_threshold: Option<i32>,
}

/// An edit: absent fields stay as they are, `null` clears `sale_price_cents` or `gtin`.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProduct {
    /// The version the edit is based on (from the product as read); a stale one answers 409
    /// and nothing is written.
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub version: i32,
    #[validate(custom(function = "valid_sku"))]
    #[schema(
        pattern = "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$",
        min_length = 1,
        max_length = 64
    )]
    pub sku: Option<String>,
    #[validate(length(
        min = 1,
        max = 300,
        message = "enter a title of at most 300 characters"
    ))]
    #[schema(min_length = 1, max_length = 300)]
    pub title: Option<String>,
    /// The text under `title`; absent, the language's description stays as it is.
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    /// The language of `title` and `description`; the vendor's default when absent.
    pub language: Option<Language>,
    #[validate(nested)]
    pub translations: Option<Translations>,
    #[validate(range(min = 0, max = MAX_PRICE_CENTS))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub price_cents: Option<i64>,
    #[serde(default, with = "db::double_option")]
    #[validate(range(min = 0, max = MAX_PRICE_CENTS))]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100_000_000_000.0)]
    pub sale_price_cents: Option<Option<i64>>,
    #[validate(custom(function = "valid_currency"))]
    #[schema(pattern = "^[A-Z]{3}$", min_length = 3, max_length = 3)]
    pub currency: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub brand: Option<String>,
    #[serde(default, with = "db::double_option")]
    #[validate(custom(function = "valid_gtin"))]
    #[schema(value_type = Option<String>, pattern = "^([0-9]{8}|[0-9]{12,14})$")]
    pub gtin: Option<Option<String>>,
    pub condition: Option<Condition>,
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub low_inventory_threshold: Option<i32>,
}

/// One language's texts of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TranslationView {
    pub language: Language,
    pub title: String,
    pub description: String,
}

/// A product as the dashboard (and later the shop) shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductView {
    #[schema(value_type = i64)]
    pub id: ProductId,
    pub sku: String,
    /// The language of `title` and `description`: the vendor's default, else the first there is.
    pub language: Language,
    pub title: String,
    pub description: String,
    pub translations: Vec<TranslationView>,
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: String,
    pub brand: String,
    pub gtin: Option<String>,
    pub condition: Condition,
    pub is_active: bool,
    pub is_featured: bool,
    pub low_inventory_threshold: i32,
    /// Send it back with an edit (optimistic concurrency).
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Summed over every location.
    pub inventory: Available,
    /// In order; the first is the main image.
    pub images: Vec<crate::ImageView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// By how well the product matches `q`; newest first without `q`.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
}

#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
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
    pub is_active: Option<bool>,
    pub is_featured: Option<bool>,
    /// Only products with units available (or, with `false`, without).
    pub in_stock: Option<bool>,
    #[param(inline)]
    pub sort: Option<SortOrder>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

impl ProductQuery {
    /// The query in one spelling (every field), to key what is kept of its answer.
    pub fn key(&self) -> String {
        format!("{self:?}")
    }
}

/// A page of products. `total` is exact for an unfiltered list and for a text search (`q`);
/// other filters count up to 1,000 and say `total_is_capped` when there are more.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductView>,
    pub total: i64,
    pub total_is_capped: bool,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkStatus {
    #[validate(length(min = 1, max = 500, message = "name 1 to 500 products"))]
    #[schema(value_type = Vec<i64>, min_items = 1, max_items = 500)]
    pub ids: Vec<ProductId>,
    pub is_active: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulkStatusResult {
    /// Products whose status changed (unknown ids and those already so are skipped).
    pub changed: usize,
}
