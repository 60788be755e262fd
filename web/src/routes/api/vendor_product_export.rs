//! The catalogue as a Letzshop product feed (one language per file), streamed in keyset pages
//! so a 100,000-product catalogue never sits in memory, through the formula-safe CSV writer.
//! The columns are the ones the Letzshop import reads, so the file can be imported again.

use actix_web::{HttpRequest, HttpResponse, get, web};
use catalog::{Language, ProductView};
use db::ProductId;
use serde::Deserialize;
use teams::needs::ProductsView;
use utoipa::IntoParams;

use crate::blocking::blocking;
use crate::csv_export::{SafeCsvWriter, chunk, next_after, streamed};
use crate::error::ApiError;
use crate::extract::{Client, Member};
use crate::state::AppState;

/// Products per page read from the database (and per chunk sent).
const BATCH: i64 = 500;

const COLUMNS: [&str; 12] = [
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "additional_image_link",
    "availability",
    "price",
    "sale_price",
    "brand",
    "gtin",
    "condition",
];

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The language of titles and descriptions (default: the vendor's); a product without
    /// texts in it is exported with its main language's.
    #[param(inline)]
    pub language: Option<Language>,
}

/// Downloads the catalogue (every live product) as a CSV file in the Letzshop feed layout:
/// `id` (the SKU), `title`, `description`, `link`, `image_link`, `additional_image_link`,
/// `availability`, `price` and `sale_price` (`19.99 EUR`), `brand`, `gtin`, `condition`
/// [products.view].
#[utoipa::path(tag = "vendor", params(ExportQuery), security(("bearer" = ["products.view"])),
    responses((status = 200, description = "the feed, streamed", content_type = "text/csv", body = String)))]
#[get("/vendor/products/export")]
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: Client,
    member: Member<ProductsView, web::Query<ExportQuery>>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.scope();
    let code = member.principal.member.vendor.code.clone();
    let language = member.input.into_inner().language;
    let (actor, audit) = (
        client.acting(member.principal.member.user.id),
        state.audit.clone(),
    );
    let details = serde_json::json!({ "language": language.map(Language::as_str) });
    blocking(move || audit.record_export(&scope, &actor, "export.products", details)).await?;
    let origin = {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let label = language.map_or("all", Language::as_str);
    let file_name = format!("{code}-products-{label}.csv");
    let feed = Feed {
        language,
        origin,
        code,
    };
    let read = move |after: Option<ProductId>| {
        let (state, feed) = (state.clone(), feed.clone());
        async move {
            let batch = blocking(move || state.catalog.export_batch(&scope, after, BATCH)).await?;
            let next = next_after(&batch, BATCH, |p| p.id);
            chunk(&batch, |out, p| feed.row(out, p), next)
        }
    };
    // The first page is read before answering, so a failure is still a proper error answer.
    let first = read(None).await?;
    streamed(file_name, &COLUMNS, first, move |after| read(Some(after)))
}

/// What every line of one download shares.
#[derive(Clone)]
struct Feed {
    language: Option<Language>,
    origin: String,
    code: String,
}

impl Feed {
    fn row(&self, out: &mut SafeCsvWriter<Vec<u8>>, p: &ProductView) -> csv::Result<()> {
        let text = self
            .language
            .and_then(|l| p.translations.iter().find(|t| t.language == l));
        let (title, description) = match text {
            Some(t) => (t.title.as_str(), t.description.as_str()),
            None => (p.title.as_str(), p.description.as_str()),
        };
        let mut images = p.images.iter().map(|i| self.absolute(&i.url));
        let image_link = images.next().unwrap_or_default();
        let additional = images.collect::<Vec<_>>().join(",");
        let link = format!("{}/shop/{}/products/{}", self.origin, self.code, p.id);
        let price = money(p.price_cents, &p.currency);
        let sale = p
            .sale_price_cents
            .map(|c| money(c, &p.currency))
            .unwrap_or_default();
        let availability = if p.inventory.available > 0 {
            "in stock"
        } else {
            "out of stock"
        };
        out.write_record([
            p.sku.as_str(),
            title,
            description,
            &link,
            &image_link,
            &additional,
            availability,
            &price,
            &sale,
            &p.brand,
            p.gtin.as_deref().unwrap_or_default(),
            p.condition.as_str(),
        ])
    }

    /// Uploaded images are served by this server under a path; a feed needs full addresses.
    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.origin)
        } else {
            url.to_owned()
        }
    }
}

/// `1999, "EUR"` -> `19.99 EUR`, as Letzshop writes prices.
fn money(cents: i64, currency: &str) -> String {
    format!("{}.{:02} {currency}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn prices_are_written_as_letzshop_writes_them() {
        assert_eq!(money(1999, "EUR"), "19.99 EUR");
        assert_eq!(money(5, "EUR"), "0.05 EUR");
        assert_eq!(money(100_000, "CHF"), "1000.00 CHF");
    }
}
