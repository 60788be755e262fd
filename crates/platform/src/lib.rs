//! The platform operator's tools (the admin portal's own data): the audit log as admins read
//! it, typed platform settings, and the platform's figures.

mod audit;
mod error;
mod settings;

pub use audit::{AuditEntry, AuditLog, AuditPage, AuditQuery, PgAuditLog};
pub use error::PlatformError;
pub use settings::{
    CURRENCIES, PgPlatformSettings, PlatformSettings, SettingChange, SettingView, Settings,
};
