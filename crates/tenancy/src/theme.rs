//! A vendor's theme: two colours, a font from a fixed list, a logo address and a product-list
//! layout. Validated when written and again when read (a value stored before validation
//! existed is dropped, not rendered), and turned into CSS only from those checked values, so
//! no theme can inject CSS or HTML.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Buttons and links, as `#rrggbb`.
    #[validate(custom(function = "colour"))]
    #[schema(pattern = "^#[0-9a-fA-F]{6}$", example = "#2f5bd3")]
    pub primary_color: Option<String>,
    /// Highlights, as `#rrggbb`.
    #[validate(custom(function = "colour"))]
    #[schema(pattern = "^#[0-9a-fA-F]{6}$", example = "#1e8e5a")]
    pub accent_color: Option<String>,
    pub font: Option<Font>,
    /// The shop's logo, shown in the shop's header: an http(s) address of an image, or the
    /// path of one uploaded to this platform (`/media/…`).
    #[validate(length(max = 2048), custom(function = "logo_address"))]
    #[schema(
        max_length = 2048,
        pattern = "^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!#-;=?-~]*)?|/[A-Za-z0-9._~-][A-Za-z0-9._~/-]{0,299})$"
    )]
    pub logo_url: Option<String>,
    #[schema(inline)]
    pub layout: Option<Layout>,
}

/// How the shop lists products: a grid of cards, or a list of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Grid,
    List,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Grid => "grid",
            Layout::List => "list",
        }
    }
}

/// The fonts a shop may use: system stacks, nothing to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Font {
    System,
    Serif,
    Rounded,
    Mono,
}

impl Font {
    fn stack(self) -> &'static str {
        match self {
            Font::System => r#"system-ui, -apple-system, "Segoe UI", Roboto, sans-serif"#,
            Font::Serif => r#"Georgia, "Times New Roman", serif"#,
            Font::Rounded => r#"ui-rounded, "Nunito", system-ui, sans-serif"#,
            Font::Mono => r#"ui-monospace, "SFMono-Regular", Menlo, monospace"#,
        }
    }
}

/// `#rrggbb` and nothing else.
fn colour(value: &str) -> Result<(), ValidationError> {
    let hex = value.strip_prefix('#').unwrap_or_default();
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ValidationError::new("colour").with_message("use a colour like #2f5bd3".into()))
    }
}

static LOGO: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!#-;=?-~]*)?|/[A-Za-z0-9._~-][A-Za-z0-9._~/-]{0,299})$",
    )
    .ok()
});

/// An http(s) address in printable ASCII without quotes or angle brackets, or a plain path on
/// this server (an uploaded logo), so it can only ever be an image's `src`.
fn logo_address(value: &str) -> Result<(), ValidationError> {
    if LOGO.as_ref().is_some_and(|r| r.is_match(value)) {
        Ok(())
    } else {
        Err(ValidationError::new("logo_url")
            .with_message("enter the http:// or https:// address of an image".into()))
    }
}

impl Theme {
    /// The theme as stored, keeping only values that pass validation today.
    pub fn from_stored(value: &serde_json::Value) -> Self {
        let keep = |field: &str| {
            value
                .get(field)
                .and_then(serde_json::Value::as_str)
                .filter(|c| colour(c).is_ok())
                .map(str::to_lowercase)
        };
        Self {
            primary_color: keep("primary_color"),
            accent_color: keep("accent_color"),
            font: value
                .get("font")
                .and_then(|f| serde_json::from_value(f.clone()).ok()),
            logo_url: value
                .get("logo_url")
                .and_then(serde_json::Value::as_str)
                .filter(|u| u.len() <= 2048 && logo_address(u).is_ok())
                .map(str::to_owned),
            layout: value
                .get("layout")
                .and_then(|l| serde_json::from_value(l.clone()).ok()),
        }
    }

    /// CSS custom properties for the page (`:root { --primary: ...; }`), or nothing for the
    /// platform's own look. Built only from checked values.
    pub fn css(&self) -> Option<String> {
        let mut rules = Vec::new();
        if let Some(c) = self.primary_color.as_deref().filter(|c| colour(c).is_ok()) {
            rules.push(format!("--primary: {c};"));
        }
        if let Some(c) = self.accent_color.as_deref().filter(|c| colour(c).is_ok()) {
            rules.push(format!("--ok: {c};"));
        }
        if let Some(font) = self.font {
            rules.push(format!("--font: {};", font.stack()));
        }
        (!rules.is_empty()).then(|| format!(":root {{ {} }}", rules.join(" ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_hex_colours_and_listed_fonts_pass() {
        let good = Theme {
            primary_color: Some("#A1b2C3".into()),
            accent_color: None,
            font: Some(Font::Serif),
            logo_url: Some("https://cdn.example.lu/logo.png".into()),
            layout: Some(Layout::List),
        };
        assert!(good.validate().is_ok());
        for bad in [
            "javascript:alert(1)",
            "https://x.lu/\"><script>",
            "//x.lu/logo.png",
            "/media/a b.png",
        ] {
            let theme = Theme {
                logo_url: Some(bad.into()),
                ..Theme::default()
            };
            assert!(theme.validate().is_err(), "{bad}");
        }
        for bad in [
            "red",
            "#fff",
            "#12345g",
            "#123456; } body { display:none",
            "</style><script>",
        ] {
            let theme = Theme {
                primary_color: Some(bad.into()),
                ..Theme::default()
            };
            assert!(theme.validate().is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<Theme>(json!({"font": "Comic Sans"})).is_err());
    }

    #[test]
    fn stored_values_are_checked_again_and_rendered_safely() {
        let stored = json!({"primary_color": "#123456</style><script>alert(1)</script>",
                            "accent_color": "#ABCDEF", "font": "mono", "extra": "x"});
        let theme = Theme::from_stored(&stored);
        assert_eq!(
            theme.primary_color, None,
            "an unchecked stored value is dropped"
        );
        let css = theme.css().unwrap();
        assert_eq!(
            css,
            r#":root { --ok: #abcdef; --font: ui-monospace, "SFMono-Regular", Menlo, monospace; }"#
        );
        assert!(!css.contains('<'));
        assert_eq!(Theme::from_stored(&json!({})).css(), None);
        let logo = json!({"logo_url": "javascript:alert(1)", "layout": "list"});
        let theme = Theme::from_stored(&logo);
        assert_eq!((theme.logo_url, theme.layout), (None, Some(Layout::List)));
    }
}
