//! The outbox. A domain crate that causes an e-mail (an order placed, a reset link asked
//! for) queues it here inside its own transaction: an `outbound_emails` row with the
//! template's name and data, and an [`EMAIL_JOB`] job that renders it in the shop's branding
//! and sends it (the web crate's mailer, which holds the templates and the SMTP transport).
//! The e-mail therefore exists exactly when the change that caused it committed.

use db::TenantTx;
use db::emails::NewEmail;
use serde::Serialize;

/// The job kind that renders and sends one queued e-mail (payload `{"email_id": N}`).
pub const EMAIL_JOB: &str = "email.send";

/// The e-mails the platform sends; each has `templates/emails/{name}.{subject.txt,txt,html}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// After checkout: the order, its items and totals, how to pay.
    OrderConfirmation,
    /// A customer's order moved on (confirmed, shipped, delivered, cancelled, refunded).
    OrderStatus,
    /// To the vendor's team: an order came in.
    NewOrder,
    /// A customer asked to reset their password: the link.
    PasswordReset,
    /// Someone is invited to a vendor's team: the link.
    TeamInvitation,
    /// A customer opened an account.
    Welcome,
}

impl Template {
    pub fn name(self) -> &'static str {
        match self {
            Template::OrderConfirmation => "order_confirmation",
            Template::OrderStatus => "order_status",
            Template::NewOrder => "new_order",
            Template::PasswordReset => "password_reset",
            Template::TeamInvitation => "team_invitation",
            Template::Welcome => "welcome",
        }
    }
}

/// Queues an e-mail from the transaction's shop to `to`, in `language` (`fr`, `de`, `en`),
/// with `data` for its template.
pub fn queue(
    tx: &mut TenantTx<'_>,
    to: &str,
    template: Template,
    language: &str,
    data: &impl Serialize,
) -> Result<i64, db::Error> {
    let context = serde_json::to_value(data).unwrap_or_default();
    let id = db::emails::insert(
        tx,
        &NewEmail {
            to_address: to,
            template: template.name(),
            language,
            context: &context,
        },
    )?;
    jobs::enqueue_for_vendor(
        tx,
        &jobs::JobSpec::new(EMAIL_JOB, serde_json::json!({ "email_id": id })),
    )?;
    Ok(id)
}
