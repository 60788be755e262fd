//! The one rule for who may act for a vendor. Sign-in, vendor switching, refreshing a
//! session and every vendor request ask this function, in this order, so they can never
//! disagree about an edge case.

use crate::{Standing, TeamError};

/// A vendor is open when it has not been deleted and is active. The resolver (shop, pages)
/// asks this part alone.
pub fn check_vendor_open(vendor_deleted: bool, vendor_active: bool) -> Result<(), TeamError> {
    if vendor_deleted {
        return Err(TeamError::VendorGone);
    }
    if !vendor_active {
        return Err(TeamError::VendorInactive);
    }
    Ok(())
}

/// A member may act when the vendor is open, then the account is active, then the membership
/// is active.
pub fn check_standing(s: Standing) -> Result<(), TeamError> {
    check_vendor_open(s.vendor_deleted, s.vendor_active)?;
    if !s.account_active {
        return Err(TeamError::AccountInactive);
    }
    if !s.membership_active {
        return Err(TeamError::NotAMember);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: Standing = Standing {
        vendor_deleted: false,
        vendor_active: true,
        account_active: true,
        membership_active: true,
    };

    #[test]
    fn every_state_must_hold_and_the_vendor_is_checked_first() {
        assert!(check_standing(OK).is_ok());
        let all_off = Standing {
            vendor_deleted: true,
            vendor_active: false,
            account_active: false,
            membership_active: false,
        };
        assert!(matches!(
            check_standing(all_off),
            Err(TeamError::VendorGone)
        ));
        let closed = Standing {
            vendor_active: false,
            account_active: false,
            ..OK
        };
        assert!(matches!(
            check_standing(closed),
            Err(TeamError::VendorInactive)
        ));
        let disabled = Standing {
            account_active: false,
            membership_active: false,
            ..OK
        };
        assert!(matches!(
            check_standing(disabled),
            Err(TeamError::AccountInactive)
        ));
        let removed = Standing {
            membership_active: false,
            ..OK
        };
        assert!(matches!(
            check_standing(removed),
            Err(TeamError::NotAMember)
        ));
    }
}
