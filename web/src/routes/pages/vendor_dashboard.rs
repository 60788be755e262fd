//! The vendor's dashboard page, rendered whole on the server: for members who may see the
//! figures, the sales of the last days with a bar chart drawn as SVG here, the newest orders,
//! products running low and the last import; for everyone, who they are and what their role
//! allows.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use catalog::Language;
use orders::DayFigures;
use serde::Serialize;
use teams::Permission;

use super::render::page_with;
use super::vendor::{member_context, signed_in_member};
use crate::routes::api::vendor_dashboard;
use crate::state::AppState;

const TEMPLATE: &str = "vendor/dashboard.html";
/// The chart's drawing area, in SVG units.
const CHART_WIDTH: f64 = 600.0;
const CHART_HEIGHT: f64 = 160.0;

/// One day's bar, placed.
#[derive(Debug, Serialize)]
struct Bar {
    x: String,
    y: String,
    width: String,
    height: String,
    /// What a screen reader (and the tooltip) says: "1 Dec: €50.00 (2 orders)".
    label: String,
}

/// The days as bars scaled to the best day (an empty month draws a flat line).
fn bars(days: &[DayFigures], currency: &str) -> Vec<Bar> {
    let best = days
        .iter()
        .map(|d| d.revenue_cents)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = CHART_WIDTH / days.len().max(1) as f64;
    days.iter()
        .enumerate()
        .map(|(i, d)| {
            let height = (d.revenue_cents.max(0) as f64 / best * (CHART_HEIGHT - 10.0)).max(1.0);
            Bar {
                x: format!("{:.1}", i as f64 * slot + 1.0),
                y: format!("{:.1}", CHART_HEIGHT - height),
                width: format!("{:.1}", (slot - 2.0).max(1.0)),
                height: format!("{height:.1}"),
                label: format!(
                    "{}: {} ({} order{})",
                    d.day.format("%-d %b"),
                    Language::En.money(d.revenue_cents, currency),
                    d.orders,
                    if d.orders == 1 { "" } else { "s" }
                ),
            }
        })
        .collect()
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
    fn the_best_day_fills_the_chart_and_an_empty_day_is_a_line() {
        let drawn = bars(&[day(1, 5000, 2), day(2, 0, 0), day(3, 2500, 1)], "EUR");
        let heights: Vec<&str> = drawn.iter().map(|b| b.height.as_str()).collect();
        assert_eq!(heights, ["150.0", "1.0", "75.0"]);
        assert_eq!(drawn[0].y, "10.0");
        assert_eq!(drawn[1].x, "201.0");
        assert_eq!(drawn[0].label, "1 Dec: €50.00 (2 orders)");
        assert_eq!(drawn[2].label, "3 Dec: €25.00 (1 order)");
    }
}
