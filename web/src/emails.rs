//! Sending the outbox: the `email.send` job renders a queued e-mail from
//! `templates/emails/` in its shop's branding and language (texts from `strings.json`), sends
//! it over SMTP when `SMTP_URL` is set (else logs it), and records what was sent.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use catalog::Language;
use db::Db;
use db::emails::{OutboundEmail, Outcome};
use jobs::{Handler, JobContext, JobError};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport};
use serde::Serialize;

/// The templates every e-mail has, by [`mail::Template`] name.
const TEMPLATES: [&str; 6] = [
    "order_confirmation",
    "order_status",
    "new_order",
    "password_reset",
    "welcome",
    "team_invitation",
];
/// The footer text (in `strings.json`) each e-mail ends with: the customers' one unless
/// listed here.
const FOOTERS: [(&str, &str); 2] = [
    ("new_order", "team_footer"),
    ("team_invitation", "invite_footer"),
];
/// The shop colour when its theme has none.
const DEFAULT_COLOR: &str = "#1f4e79";

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("e-mail templates: {0}")]
    Templates(#[from] tera::Error),
    #[error("e-mail texts (templates/emails/strings.json): {0}")]
    Strings(String),
    #[error("SMTP_URL: {0}")]
    Smtp(String),
    #[error("MAIL_FROM: {0}")]
    From(String),
}

/// How e-mails leave.
enum Delivery {
    Smtp(Box<SmtpTransport>),
    /// No SMTP server configured: written to the log and kept in `outbound_emails`.
    Log,
}

/// An e-mail ready to go.
#[derive(Debug)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The shop an e-mail speaks for.
#[derive(Debug, Serialize)]
struct Brand {
    name: String,
    /// Its shop's address (path mode: works for every shop).
    url: String,
    primary_color: String,
    logo_url: Option<String>,
}

pub struct Mailer {
    templates: tera::Tera,
    strings: HashMap<String, HashMap<String, String>>,
    delivery: Delivery,
    from: Mailbox,
    public_base_url: String,
}

impl Mailer {
    pub fn new(
        templates_dir: &Path,
        smtp_url: Option<&str>,
        from: &str,
        public_base_url: &str,
    ) -> Result<Self, MailError> {
        let dir = templates_dir.join("emails");
        let mut templates = tera::Tera::default();
        let mut files = vec![(
            dir.join("layout.html"),
            Some("emails/layout.html".to_owned()),
        )];
        for name in TEMPLATES {
            for suffix in ["subject.txt", "txt", "html"] {
                let file = format!("{name}.{suffix}");
                files.push((dir.join(&file), Some(format!("emails/{file}"))));
            }
        }
        templates.add_template_files(files)?;
        templates.register_filter("money", money_filter);
        templates.register_filter("percent", percent_filter);
        let strings = std::fs::read_to_string(dir.join("strings.json"))
            .map_err(|e| MailError::Strings(e.to_string()))
            .and_then(|s| {
                serde_json::from_str(&s).map_err(|e| MailError::Strings(e.to_string()))
            })?;
        let delivery = match smtp_url {
            Some(url) => Delivery::Smtp(Box::new(
                SmtpTransport::from_url(url)
                    .map_err(|e| MailError::Smtp(e.to_string()))?
                    .build(),
            )),
            None => Delivery::Log,
        };
        Ok(Self {
            templates,
            strings,
            delivery,
            from: from
                .parse()
                .map_err(|e: lettre::address::AddressError| MailError::From(e.to_string()))?,
            public_base_url: public_base_url.trim_end_matches('/').to_owned(),
        })
    }

    fn brand(&self, vendor: &db::vendors::Vendor) -> Brand {
        let theme = |key: &str| {
            vendor
                .theme
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        Brand {
            name: vendor.name.clone(),
            url: format!("{}/shop/{}", self.public_base_url, vendor.code),
            primary_color: theme("primary_color").unwrap_or_else(|| DEFAULT_COLOR.to_owned()),
            logo_url: theme("logo_url").map(|url| match url.starts_with('/') {
                true => format!("{}{url}", self.public_base_url),
                false => url,
            }),
        }
    }

    /// The e-mail in its shop's branding and its language.
    pub fn render(
        &self,
        email: &OutboundEmail,
        vendor: &db::vendors::Vendor,
    ) -> Result<Rendered, MailError> {
        let brand = self.brand(vendor);
        let texts = self
            .strings
            .get(&email.language)
            .or_else(|| self.strings.get("fr"))
            .ok_or_else(|| MailError::Strings(format!("no texts for '{}'", email.language)))?;
        let mut context = tera::Context::from_value(email.context.clone())
            .unwrap_or_else(|_| tera::Context::new());
        context.insert("t", texts);
        context.insert("language", &email.language);
        let footer = FOOTERS
            .iter()
            .find(|(template, _)| *template == email.template)
            .map_or("footer", |(_, key)| key);
        context.insert(
            "footer",
            &texts
                .get(footer)
                .map(|f| f.replace("{shop}", &brand.name))
                .unwrap_or_default(),
        );
        context.insert("base_url", &self.public_base_url);
        context.insert("shop", &brand);
        let name = &email.template;
        let subject = self
            .templates
            .render(&format!("emails/{name}.subject.txt"), &context)?
            .trim()
            .to_owned();
        context.insert("subject", &subject);
        Ok(Rendered {
            text: self
                .templates
                .render(&format!("emails/{name}.txt"), &context)?,
            html: self
                .templates
                .render(&format!("emails/{name}.html"), &context)?,
            subject,
        })
    }

    /// Sends (or logs) the e-mail from the shop: answers the status to record.
    fn deliver(
        &self,
        to: &str,
        shop_name: &str,
        rendered: &Rendered,
    ) -> Result<&'static str, String> {
        let Delivery::Smtp(transport) = &self.delivery else {
            tracing::info!(to, subject = %rendered.subject, "e-mail logged (no SMTP_URL)");
            return Ok("logged");
        };
        let from = Mailbox::new(Some(shop_name.to_owned()), self.from.email.clone());
        let message = Message::builder()
            .from(from)
            .to(to.parse().map_err(|e| format!("recipient: {e}"))?)
            .subject(&rendered.subject)
            .multipart(MultiPart::alternative_plain_html(
                rendered.text.clone(),
                rendered.html.clone(),
            ))
            .map_err(|e| e.to_string())?;
        transport.send(&message).map_err(|e| e.to_string())?;
        Ok("sent")
    }
}

/// `{{ cents | money(currency="EUR", language="fr") }}`.
pub(crate) fn money_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let cents = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("money: not a whole number of cents"))?;
    let currency = args
        .get("currency")
        .and_then(|v| v.as_str())
        .unwrap_or("EUR");
    Ok(language_arg(args).money(cents, currency).into())
}

/// `{{ 1750 | percent(language="fr") }}` is `17,5` (basis points as a percentage).
pub(crate) fn percent_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let points = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("percent: not a whole number of basis points"))?;
    let text = match points % 100 {
        0 => (points / 100).to_string(),
        rest => format!(
            "{}.{}",
            points / 100,
            format!("{rest:02}").trim_end_matches('0')
        ),
    };
    Ok(match language_arg(args) {
        Language::En => text,
        _ => text.replace('.', ","),
    }
    .into())
}

fn language_arg(args: &HashMap<String, tera::Value>) -> Language {
    args.get("language")
        .and_then(|v| v.as_str())
        .and_then(Language::parse)
        .unwrap_or(Language::Fr)
}

/// The `email.send` job.
pub struct EmailJob {
    db: Db,
    mailer: Arc<Mailer>,
}

impl EmailJob {
    pub fn new(db: Db, mailer: Arc<Mailer>) -> Self {
        Self { db, mailer }
    }

    fn record(
        &self,
        scope: &db::TenantScope,
        id: i64,
        outcome: &Outcome<'_>,
    ) -> Result<(), JobError> {
        self.db
            .tenant(scope, |tx| db::emails::record(tx, id, outcome))
            .map_err(|e| JobError::Retry(e.to_string()))
    }
}

impl Handler for EmailJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let id = job.payload["email_id"]
            .as_i64()
            .ok_or_else(|| JobError::Fail("the job names no email_id".into()))?;
        // Shops send e-mails; the platform's own (admins, team invitations) come later.
        let scope = job
            .vendor
            .ok_or_else(|| JobError::Fail("an e-mail job without its shop".into()))?;
        let (email, vendor) = self.db.tenant(&scope, |tx| {
            let email = db::emails::find(tx, id)?;
            let vendor = db::vendors::find(tx, scope.vendor_id())?;
            Ok::<_, db::Error>((email, vendor))
        })?;
        let (Some(email), Some(vendor)) = (email, vendor) else {
            return Err(JobError::Fail(format!("e-mail {id} or its shop is gone")));
        };
        if email.status != "queued" {
            return Ok(()); // done by an earlier run
        }
        let rendered = match self.mailer.render(&email, &vendor) {
            Ok(r) => r,
            Err(e) => {
                let error = e.to_string();
                self.record(&scope, id, &failed(&error))?;
                return Err(JobError::Fail(error));
            }
        };
        match self
            .mailer
            .deliver(&email.to_address, &vendor.name, &rendered)
        {
            Ok(status) => self.record(
                &scope,
                id,
                &Outcome {
                    status,
                    subject: Some(&rendered.subject),
                    text_body: Some(&rendered.text),
                    html_body: Some(&rendered.html),
                    error: None,
                },
            ),
            Err(error) if job.last_attempt => {
                self.record(&scope, id, &failed(&error))?;
                Err(JobError::Fail(error))
            }
            Err(error) => Err(JobError::Retry(error)),
        }
    }
}

fn failed(error: &str) -> Outcome<'_> {
    Outcome {
        status: "failed",
        subject: None,
        text_body: None,
        html_body: None,
        error: Some(error),
    }
}
