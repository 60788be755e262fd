//! The vendor's dashboard page, rendered whole on the server: for members who may see the
//! figures, the sales of the last days with a bar chart drawn as SVG here, the newest orders,
//! products running low and the last import; for everyone, who they are and what their role
//! allows.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use catalog::Language;
use orders::DayFigures;
use teams::Permission;

use super::chart::{self, Bar, plural};
use super::render::page_with;
use super::vendor::{member_context, signed_in_member};
use crate::routes::api::vendor_dashboard;
use crate::state::AppState;

const TEMPLATE: &str = "vendor/dashboard.html";

/// The days as bars of revenue, each labelled "1 Dec: €50.00 (2 orders)".
fn bars(days: &[DayFigures], currency: &str) -> Vec<Bar> {
    let points: Vec<(i64, String)> = days
        .iter()
        .map(|d| {
            let label = format!(
                "{}: {} ({} order{})",
                d.day.format("%-d %b"),
                Language::En.money(d.revenue_cents, currency),
                d.orders,
                plural(d.orders)
            );
            (d.revenue_cents, label)
        })
        .collect();
    chart::bars(&points)
}

pub async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let (vendor, member, renewed) = match signed_in_member(&req, &state, code.into_inner()).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let mut ctx = member_context(&vendor, &member, TEMPLATE);
    if member
        .member
        .permissions
        .contains(&Permission::AnalyticsView)
    {
        match vendor_dashboard::load(state.clone(), member.scope).await {
            Ok(dashboard) => {
                ctx.insert("bars", &bars(&dashboard.sales.daily, "EUR"));
                ctx.insert("dash", &dashboard);
            }
            Err(e) => ctx.insert("dash_error", &e.detail),
        }
    }
    page_with(&state, &req, StatusCode::OK, TEMPLATE, ctx, renewed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, cents: i64, orders: i64) -> DayFigures {
        DayFigures {
            day: chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default(),
            orders,
            revenue_cents: cents,
        }
    }

    #[test]
    fn each_day_says_its_revenue_and_orders() {
        let drawn = bars(&[day(1, 5000, 2), day(2, 0, 0), day(3, 2500, 1)], "EUR");
        let labels: Vec<String> = drawn
            .iter()
            .map(|b| serde_json::to_value(b).unwrap_or_default()["label"].to_string())
            .collect();
        assert_eq!(
            labels,
            [
                "\"1 Dec: €50.00 (2 orders)\"",
                "\"2 Dec: €0.00 (0 orders)\"",
                "\"3 Dec: €25.00 (1 order)\""
            ]
        );
    }
}
