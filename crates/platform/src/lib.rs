//! The platform operator's tools (the admin portal's own data): the audit log as admins read
//! it, typed platform settings, and the platform's figures.

mod audit;
mod error;
mod figures;
mod settings;

pub use audit::{AuditEntry, AuditLog, AuditPage, AuditQuery, PgAuditLog};
pub use error::PlatformError;
pub use figures::{DayFigures, FailedImport, Figures, PeriodFigures, PgFigures, PlatformFigures};
pub use settings::{
    CURRENCIES, PgPlatformSettings, PlatformSettings, SettingChange, SettingView, Settings,
};
