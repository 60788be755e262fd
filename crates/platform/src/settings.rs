//! Typed platform settings. Each key has a kind (text, e-mail, choice, whole number, yes/no)
//! with its limits and a default; a value of the wrong type or out of range is refused naming
//! the key. The server keeps the settings in force in memory ([`PlatformSettings::current`]
//! never waits for the database): a change through this server is seen by its next request,
//! and every server reloads them on a short interval ([`PlatformSettings::refresh`]), so a
//! change made through another server shows within that interval.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use db::audit::{self, Actor};
use db::platform_settings::StoredSetting;
use db::{Db, PlatformScope};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::PlatformError;

/// What kind of value a setting holds, with its limits.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text { max: usize },
    Email,
    Choice(&'static [&'static str]),
    Integer { min: i64, max: i64 },
    Boolean,
}

struct Definition {
    key: &'static str,
    kind: Kind,
    default: fn() -> Value,
    description: &'static str,
}

/// The currencies a shop may price in.
pub const CURRENCIES: [&str; 4] = ["EUR", "CHF", "GBP", "USD"];

const DEFINITIONS: [Definition; 6] = [
    Definition {
        key: "platform_name",
        kind: Kind::Text { max: 60 },
        default: || json!("Wizamart"),
        description: "The name shown in the portals' header and page titles.",
    },
    Definition {
        key: "support_email",
        kind: Kind::Email,
        default: || json!("support@wizamart.lu"),
        description: "Where vendors and shoppers are told to write for help (page footers).",
    },
    Definition {
        key: "default_currency",
        kind: Kind::Choice(&CURRENCIES),
        default: || json!("EUR"),
        description: "The currency of a new product when its vendor names none.",
    },
    Definition {
        key: db::platform_settings::DEFAULT_VAT_RATE,
        kind: Kind::Integer {
            min: 0,
            max: 10_000,
        },
        default: || json!(1700),
        description: "The VAT rate (1700 = 17 %) of shops that have not set their own.",
    },
    Definition {
        key: "registration_open",
        kind: Kind::Boolean,
        default: || json!(true),
        description: "Whether shoppers may create customer accounts (guests may always check out).",
    },
    Definition {
        key: "max_import_file_mb",
        kind: Kind::Integer { min: 1, max: 2048 },
        default: || json!(200),
        description: "The largest Letzshop file a vendor may upload, in MB (never above the server's IMPORT_MAX_MB).",
    },
];

/// The settings in force, typed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Settings {
    pub platform_name: String,
    pub support_email: String,
    pub default_currency: String,
    pub default_vat_rate_basis_points: i64,
    pub registration_open: bool,
    pub max_import_file_mb: i64,
}

/// One setting as the admin's page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SettingView {
    pub key: &'static str,
    /// `text`, `email`, `choice`, `integer` or `boolean`.
    pub kind: &'static str,
    pub value: Value,
    pub default: Value,
    pub description: &'static str,
    /// The values a `choice` may take.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<&'static [&'static str]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// The largest whole number, or the longest text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    /// Who changed it last, and when (absent while the default applies).
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A new value for one setting, of the setting's type.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingChange {
    pub value: Value,
}

pub trait PlatformSettings: Send + Sync {
    /// Every setting with its value, type and limits.
    fn list(&self, scope: &PlatformScope) -> Result<Vec<SettingView>, PlatformError>;

    /// Changes one setting (audited); the next request sees it.
    fn set(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        key: &str,
        change: &SettingChange,
    ) -> Result<SettingView, PlatformError>;

    /// The settings in force, from memory (the defaults until the first [`Self::refresh`]).
    fn current(&self) -> Arc<Settings>;

    /// Reloads the settings in force from the database.
    fn refresh(&self) -> Result<(), PlatformError>;
}

pub struct PgPlatformSettings {
    db: Db,
    in_force: RwLock<Arc<Settings>>,
}

impl PgPlatformSettings {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            in_force: RwLock::new(Arc::new(typed(&[]))),
        }
    }

    fn keep(&self, stored: &[StoredSetting]) {
        if let Ok(mut in_force) = self.in_force.write() {
            *in_force = Arc::new(typed(stored));
        }
    }
}

impl PlatformSettings for PgPlatformSettings {
    fn list(&self, scope: &PlatformScope) -> Result<Vec<SettingView>, PlatformError> {
        let stored = self.db.platform(scope, db::platform_settings::all)?;
        Ok(DEFINITIONS
            .iter()
            .map(|d| view(d, stored.iter().find(|s| s.key == d.key)))
            .collect())
    }

    fn set(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        key: &str,
        change: &SettingChange,
    ) -> Result<SettingView, PlatformError> {
        let definition = DEFINITIONS
            .iter()
            .find(|d| d.key == key)
            .ok_or_else(|| PlatformError::UnknownSetting(key.to_owned()))?;
        let value = check(definition, &change.value)?;
        let stored = self.db.platform(scope, |tx| {
            let before = db::platform_settings::set(tx, definition.key, &value, actor.user_id)?;
            audit::record_platform(
                tx,
                actor,
                None,
                audit::Event {
                    action: "admin.setting_change",
                    target_type: "setting",
                    target_id: definition.key.to_owned(),
                    details: json!({ "from": before.unwrap_or_else(definition.default), "to": value }),
                },
            )?;
            db::platform_settings::all(tx)
        })?;
        self.keep(&stored);
        Ok(view(
            definition,
            stored.iter().find(|s| s.key == definition.key),
        ))
    }

    fn current(&self) -> Arc<Settings> {
        match self.in_force.read() {
            Ok(in_force) => in_force.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn refresh(&self) -> Result<(), PlatformError> {
        let stored = self.db.unscoped(db::platform_settings::all)?;
        self.keep(&stored);
        Ok(())
    }
}

/// The typed settings from the stored values; a missing value, or one that no longer fits
/// its type, is the default.
fn typed(stored: &[StoredSetting]) -> Settings {
    let value = |key: &str| {
        let d = DEFINITIONS.iter().find(|d| d.key == key);
        stored
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.value.clone())
            .filter(|v| d.is_some_and(|d| check(d, v).is_ok()))
            .or_else(|| d.map(|d| (d.default)()))
            .unwrap_or(Value::Null)
    };
    let text = |key: &str| value(key).as_str().unwrap_or_default().to_owned();
    Settings {
        platform_name: text("platform_name"),
        support_email: text("support_email"),
        default_currency: text("default_currency"),
        default_vat_rate_basis_points: value(db::platform_settings::DEFAULT_VAT_RATE)
            .as_i64()
            .unwrap_or_default(),
        registration_open: value("registration_open").as_bool().unwrap_or(true),
        max_import_file_mb: value("max_import_file_mb").as_i64().unwrap_or(1),
    }
}

fn view(d: &Definition, stored: Option<&StoredSetting>) -> SettingView {
    let (kind, choices, minimum, maximum) = match d.kind {
        Kind::Text { max } => ("text", None, Some(1), i64::try_from(max).ok()),
        Kind::Email => ("email", None, None, Some(254)),
        Kind::Choice(values) => ("choice", Some(values), None, None),
        Kind::Integer { min, max } => ("integer", None, Some(min), Some(max)),
        Kind::Boolean => ("boolean", None, None, None),
    };
    SettingView {
        key: d.key,
        kind,
        value: stored.map_or_else(d.default, |s| s.value.clone()),
        default: (d.default)(),
        description: d.description,
        choices,
        minimum,
        maximum,
        updated_by: stored.and_then(|s| s.updated_by_email.clone()),
        updated_at: stored.map(|s| s.updated_at),
    }
}

/// The value as stored (texts trimmed), or why it does not fit the setting.
fn check(d: &Definition, value: &Value) -> Result<Value, PlatformError> {
    let refuse = |message: String| PlatformError::InvalidSetting {
        key: d.key.to_owned(),
        message,
    };
    match d.kind {
        Kind::Text { max } => {
            let text = value.as_str().map(str::trim).unwrap_or_default();
            let fits = value.is_string()
                && !text.is_empty()
                && text.chars().count() <= max
                && !text.chars().any(char::is_control);
            match fits {
                true => Ok(json!(text)),
                false => Err(refuse(format!("a text of 1 to {max} characters"))),
            }
        }
        Kind::Email => {
            let text = value.as_str().map(str::trim).unwrap_or_default();
            match validator::ValidateEmail::validate_email(&text) && text.len() <= 254 {
                true => Ok(json!(text.to_lowercase())),
                false => Err(refuse("an e-mail address".into())),
            }
        }
        Kind::Choice(values) => match value.as_str() {
            Some(v) if values.contains(&v) => Ok(json!(v)),
            _ => Err(refuse(format!("one of {}", values.join(", ")))),
        },
        Kind::Integer { min, max } => match value.as_i64() {
            Some(n) if (min..=max).contains(&n) && !value.is_f64() => Ok(json!(n)),
            _ => Err(refuse(format!("a whole number from {min} to {max}"))),
        },
        Kind::Boolean => match value.as_bool() {
            Some(b) => Ok(json!(b)),
            None => Err(refuse("true or false".into())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(key: &str, value: Value) -> Result<Value, String> {
        let d = DEFINITIONS
            .iter()
            .find(|d| d.key == key)
            .unwrap_or_else(|| unreachable!());
        check(d, &value).map_err(|e| e.to_string())
    }

    #[test]
    fn values_are_checked_by_type_and_range_naming_the_key() {
        assert_eq!(
            checked("platform_name", json!("  Lux Shops ")),
            Ok(json!("Lux Shops"))
        );
        assert!(checked("platform_name", json!("")).is_err());
        assert!(checked("platform_name", json!(7)).is_err());
        assert_eq!(
            checked("support_email", json!("Help@Example.lu")),
            Ok(json!("help@example.lu"))
        );
        assert!(checked("support_email", json!("not an address")).is_err());
        assert_eq!(checked("default_currency", json!("CHF")), Ok(json!("CHF")));
        assert!(checked("default_currency", json!("chf")).is_err());
        assert_eq!(checked("max_import_file_mb", json!(50)), Ok(json!(50)));
        assert_eq!(
            checked("max_import_file_mb", json!("50")),
            Err("max_import_file_mb: a whole number from 1 to 2048".into())
        );
        assert!(checked("max_import_file_mb", json!(50.5)).is_err());
        assert!(checked("max_import_file_mb", json!(0)).is_err());
        assert!(checked(db::platform_settings::DEFAULT_VAT_RATE, json!(10_001)).is_err());
        assert_eq!(checked("registration_open", json!(false)), Ok(json!(false)));
        assert!(checked("registration_open", json!("false")).is_err());
    }

    #[test]
    fn every_default_fits_its_own_type() {
        for d in &DEFINITIONS {
            assert!(check(d, &(d.default)()).is_ok(), "{}", d.key);
        }
    }
}
