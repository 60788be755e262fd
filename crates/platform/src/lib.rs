//! The platform operator's tools (the admin portal's own data): the audit log as admins read
//! it, typed platform settings, the platform's figures, and actions over many vendors.

mod audit;
mod error;
mod figures;
mod mass_actions;
mod settings;

pub use audit::{AuditEntry, AuditLog, AuditPage, AuditQuery, PgAuditLog};
pub use error::PlatformError;
pub use figures::{DayFigures, FailedImport, Figures, PeriodFigures, PgFigures, PlatformFigures};
pub use mass_actions::{
    MASS_ACTION_JOB, MassActionJob, MassActionKind, MassActionView, MassActions, MassResult,
    NewMassAction, PgMassActions,
};
pub use settings::{
    CURRENCIES, PgPlatformSettings, PlatformSettings, SettingChange, SettingView, Settings,
};
