//! Bar charts drawn as SVG on the server (the dashboards): no script, readable by screen
//! readers through each bar's title.

use serde::Serialize;

/// The chart's drawing area, in SVG units (the templates' `viewBox="0 0 600 160"`).
const CHART_WIDTH: f64 = 600.0;
const CHART_HEIGHT: f64 = 160.0;

/// One bar, placed.
#[derive(Debug, Serialize)]
pub struct Bar {
    x: String,
    y: String,
    width: String,
    height: String,
    /// What a screen reader (and the tooltip) says: "1 Dec: €50.00 (2 orders)".
    label: String,
}

/// The values as bars scaled to the largest (all zero draws a flat line), each with its label.
pub fn bars(points: &[(i64, String)]) -> Vec<Bar> {
    let best = points.iter().map(|p| p.0).max().unwrap_or(0).max(1) as f64;
    let slot = CHART_WIDTH / points.len().max(1) as f64;
    points
        .iter()
        .enumerate()
        .map(|(i, (value, label))| {
            let height = ((*value).max(0) as f64 / best * (CHART_HEIGHT - 10.0)).max(1.0);
            Bar {
                x: format!("{:.1}", i as f64 * slot + 1.0),
                y: format!("{:.1}", CHART_HEIGHT - height),
                width: format!("{:.1}", (slot - 2.0).max(1.0)),
                height: format!("{height:.1}"),
                label: label.clone(),
            }
        })
        .collect()
}

/// "s" unless there is exactly one.
pub fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_value_fills_the_chart_and_a_zero_is_a_line() {
        let drawn = bars(&[(5000, "a".into()), (0, "b".into()), (2500, "c".into())]);
        assert_eq!(drawn.len(), 3);
        assert_eq!(drawn[0].height, "150.0");
        assert_eq!(drawn[0].y, "10.0");
        assert_eq!(drawn[1].height, "1.0");
        assert_eq!(drawn[2].height, "75.0");
        assert_eq!(drawn[2].x, "401.0");
        assert_eq!(drawn[1].width, "198.0");
        assert_eq!(drawn[1].label, "b");
    }
}
