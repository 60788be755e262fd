//! The customer service over PostgreSQL.

use std::sync::Arc;

use auth::PasswordHasher;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use db::customers::{self as repo, AddressFields, CustomerChanges, NewCustomer};
use db::{AddressId, CustomerId, Db, Email, TenantScope, TenantTx};
use rand::RngCore;
use sha2::{Digest, Sha256};
use validator::Validate;

use crate::model::tidy;
use crate::{
    AddressInput, AddressView, CustomerError, CustomerProfile, CustomerService, PasswordChange,
    PasswordReset, ProfileUpdate, Register, ResetLink, ResetRequest,
};

/// The most addresses one customer keeps (a bound on what one account can store).
pub const MAX_ADDRESSES: i64 = 20;

pub struct PgCustomers {
    db: Db,
    hasher: Arc<PasswordHasher>,
    reset_ttl: Duration,
}

impl PgCustomers {
    /// `reset_ttl`: how long an e-mailed reset link works.
    pub fn new(db: Db, hasher: Arc<PasswordHasher>, reset_ttl: Duration) -> Self {
        Self {
            db,
            hasher,
            reset_ttl,
        }
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    fn customer(
        &self,
        scope: &TenantScope,
        id: CustomerId,
    ) -> Result<repo::Customer, CustomerError> {
        self.db
            .tenant(scope, |tx| repo::find(tx, id))?
            .ok_or(CustomerError::NotFound)
    }

    /// Writes a new password hash, ending every session and spending every reset link.
    fn set_password(
        tx: &mut TenantTx<'_>,
        id: CustomerId,
        hash: &str,
    ) -> Result<repo::Customer, CustomerError> {
        let changes = CustomerChanges {
            password_hash: Some(hash),
            ..CustomerChanges::default()
        };
        let customer = repo::update(tx, id, &changes)?.ok_or(CustomerError::NotFound)?;
        db::refresh_tokens::revoke_customer(tx, id)?;
        repo::spend_all_resets(tx, id)?;
        Ok(customer)
    }
}

/// Queues an e-mail to the customer, in the language asked for (else the shop's).
fn send_email(
    tx: &mut TenantTx<'_>,
    customer: &repo::Customer,
    template: mail::Template,
    asked: Option<catalog::Language>,
    data: &serde_json::Value,
) -> Result<(), db::Error> {
    let language = match asked {
        Some(l) => l.as_str().to_owned(),
        None => db::settings::default_language(tx)?,
    };
    mail::queue(tx, &customer.email, template, &language, data).map(|_| ())
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn fields(input: &AddressInput) -> AddressFields<'_> {
    AddressFields {
        label: tidy(&input.label),
        name: tidy(&input.name),
        street: tidy(&input.street),
        postal_code: tidy(&input.postal_code),
        city: tidy(&input.city),
        country: &input.country,
        phone: input.phone.as_deref().map(tidy).filter(|p| !p.is_empty()),
        is_default_shipping: input.is_default_shipping,
        is_default_billing: input.is_default_billing,
    }
}

impl CustomerService for PgCustomers {
    fn register(
        &self,
        scope: &TenantScope,
        input: &Register,
    ) -> Result<CustomerProfile, CustomerError> {
        input.validate()?;
        let email = Email::new(&input.email);
        let hash = self.hasher.hash(&input.password)?;
        let phone = input.phone.as_deref().map(tidy).filter(|p| !p.is_empty());
        let new = NewCustomer {
            email: &email,
            password_hash: &hash,
            first_name: tidy(&input.first_name),
            last_name: tidy(&input.last_name),
            phone,
        };
        let created = self.db.tenant(scope, |tx| {
            let customer = repo::insert(tx, &new)?;
            let data = serde_json::json!({ "first_name": customer.first_name });
            send_email(
                tx,
                &customer,
                mail::Template::Welcome,
                input.language,
                &data,
            )?;
            Ok::<_, db::Error>(customer)
        });
        match created {
            Ok(c) => Ok(c.into()),
            Err(e) if e.unique_violation() == Some("customers_vendor_email_key") => {
                Err(CustomerError::EmailTaken)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn profile(
        &self,
        scope: &TenantScope,
        id: CustomerId,
    ) -> Result<CustomerProfile, CustomerError> {
        self.customer(scope, id).map(Into::into)
    }

    fn update_profile(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        input: &ProfileUpdate,
    ) -> Result<CustomerProfile, CustomerError> {
        input.validate()?;
        let changes = CustomerChanges {
            first_name: input.first_name.as_deref().map(tidy),
            last_name: input.last_name.as_deref().map(tidy),
            phone: input
                .phone
                .as_ref()
                .map(|p| p.as_deref().map(tidy).filter(|p| !p.is_empty())),
            ..CustomerChanges::default()
        };
        if changes.first_name.is_none() && changes.last_name.is_none() && changes.phone.is_none() {
            return self.profile(scope, id);
        }
        self.db
            .tenant(scope, |tx| repo::update(tx, id, &changes))?
            .map(Into::into)
            .ok_or(CustomerError::NotFound)
    }

    fn change_password(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        input: &PasswordChange,
    ) -> Result<(), CustomerError> {
        input.validate()?;
        let customer = self.customer(scope, id)?;
        if !self
            .hasher
            .verify(&input.current_password, Some(&customer.password_hash))
        {
            return Err(CustomerError::WrongPassword);
        }
        let hash = self.hasher.hash(&input.new_password)?;
        self.db
            .tenant(scope, |tx| Self::set_password(tx, id, &hash))
            .map(|_| ())
    }

    fn request_reset(
        &self,
        scope: &TenantScope,
        input: &ResetRequest,
    ) -> Result<Option<ResetLink>, CustomerError> {
        input.validate()?;
        let email = Email::new(&input.email);
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let expires_at = Utc::now() + self.reset_ttl;
        let customer = self.db.tenant(scope, |tx| {
            let Some(customer) = repo::find_by_email(tx, &email)? else {
                return Ok::<_, CustomerError>(None);
            };
            if !customer.is_active {
                return Ok(None);
            }
            repo::insert_reset(tx, customer.id, &token_hash(&token), expires_at)?;
            let data = serde_json::json!({
                "first_name": customer.first_name,
                "token": token,
                "expires_at": expires_at,
            });
            send_email(
                tx,
                &customer,
                mail::Template::PasswordReset,
                input.language,
                &data,
            )?;
            Ok(Some(customer))
        })?;
        Ok(customer.map(|c| ResetLink {
            customer: c.into(),
            token,
            expires_at,
        }))
    }

    fn reset_password(
        &self,
        scope: &TenantScope,
        input: &PasswordReset,
    ) -> Result<CustomerProfile, CustomerError> {
        input.validate()?;
        let hash = self.hasher.hash(&input.new_password)?;
        let customer = self.db.tenant(scope, |tx| {
            let id = repo::spend_reset(tx, &token_hash(&input.token))?
                .ok_or(CustomerError::ResetLinkInvalid)?;
            Self::set_password(tx, id, &hash)
        })?;
        Ok(customer.into())
    }

    fn addresses(
        &self,
        scope: &TenantScope,
        id: CustomerId,
    ) -> Result<Vec<AddressView>, CustomerError> {
        let rows = self.db.tenant(scope, |tx| repo::addresses(tx, id))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    fn add_address(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        input: &AddressInput,
    ) -> Result<AddressView, CustomerError> {
        input.validate()?;
        let address = self.db.tenant(scope, |tx| {
            repo::find(tx, id)?.ok_or(CustomerError::NotFound)?;
            let count = repo::count_addresses(tx, id)?;
            if count >= MAX_ADDRESSES {
                return Err(CustomerError::TooManyAddresses(MAX_ADDRESSES));
            }
            let mut fields = fields(input);
            if count == 0 {
                fields.is_default_shipping = true;
                fields.is_default_billing = true;
            }
            repo::clear_defaults(
                tx,
                id,
                fields.is_default_shipping,
                fields.is_default_billing,
            )?;
            Ok(repo::insert_address(tx, id, &fields)?)
        })?;
        Ok(address.into())
    }

    fn replace_address(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        address: AddressId,
        input: &AddressInput,
    ) -> Result<AddressView, CustomerError> {
        input.validate()?;
        let fields = fields(input);
        let row = self.db.tenant(scope, |tx| {
            repo::find_address(tx, id, address)?.ok_or(CustomerError::AddressNotFound)?;
            repo::clear_defaults(
                tx,
                id,
                fields.is_default_shipping,
                fields.is_default_billing,
            )?;
            repo::update_address(tx, id, address, &fields)?.ok_or(CustomerError::AddressNotFound)
        })?;
        Ok(row.into())
    }

    fn delete_address(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        address: AddressId,
    ) -> Result<(), CustomerError> {
        let deleted = self
            .db
            .tenant(scope, |tx| repo::delete_address(tx, id, address))?;
        if !deleted {
            return Err(CustomerError::AddressNotFound);
        }
        Ok(())
    }
}
