//! What this process knows of recent changes to vendors' catalogues and teams, from the
//! database's change feed (`db::notices`) and from the writes this process made itself: a
//! version per vendor that changes whenever they change. Caches key what they keep by it
//! ([`crate::vendor_cache`]), so a change makes them read afresh instead of answering what
//! they kept.
//!
//! While nobody listens to the feed (before the listener connects, after it lost its
//! connection) no version is given, so nothing is kept or answered from memory; each time it
//! connects, every version changes (what it missed is unknown).

use std::collections::HashMap;
use std::sync::RwLock;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use auth::PrincipalKind;
use db::VendorId;
use db::notices::{Heard, Notice};

use crate::state::AppState;

/// A vendor's catalogue or team as this process last heard of it. Equal versions mean no
/// change was heard in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    /// Which connection of the listener (0: none yet).
    epoch: u64,
    /// Changes to every team at once (users switched off, renamed).
    accounts: u64,
    /// Changes to this vendor's part.
    own: u64,
}

#[derive(Default)]
pub struct ChangeFeed {
    state: RwLock<State>,
}

#[derive(Default)]
struct State {
    listening: bool,
    epoch: u64,
    accounts: u64,
    catalogs: HashMap<VendorId, u64>,
    teams: HashMap<VendorId, u64>,
}

impl ChangeFeed {
    /// The version of `vendor`'s catalogue (products, texts, images, stock, settings); `None`
    /// while nobody listens.
    pub fn catalog(&self, vendor: VendorId) -> Option<Version> {
        let state = self.read();
        state.version(state.catalogs.get(&vendor), 0)
    }

    /// The version of `vendor`'s team (members, roles, the vendor's standing, its users'
    /// accounts); `None` while nobody listens.
    pub fn team(&self, vendor: VendorId) -> Option<Version> {
        let state = self.read();
        state.version(state.teams.get(&vendor), state.accounts)
    }

    /// Takes in what the listener heard.
    pub fn hear(&self, heard: Heard) {
        let mut state = self.write();
        match heard {
            Heard::Connected => {
                state.forget_all();
                state.listening = true;
            }
            Heard::Lost => state.listening = false,
            Heard::Notice(Notice::Catalog(vendor)) => bump(&mut state.catalogs, vendor),
            Heard::Notice(Notice::Team(vendor)) => bump(&mut state.teams, vendor),
            Heard::Notice(Notice::Accounts) => state.accounts += 1,
            Heard::Notice(Notice::Anything) => state.forget_all(),
            Heard::Notice(Notice::JobsAdded) => {}
        }
    }

    /// This process changed `vendor`'s data (`None`: any vendor's, or users'). The feed says
    /// so too, a few milliseconds later; this makes the writer's next read see its write.
    pub fn changed_here(&self, vendor: Option<VendorId>) {
        let mut state = self.write();
        match vendor {
            Some(vendor) => {
                bump(&mut state.catalogs, vendor);
                bump(&mut state.teams, vendor);
            }
            None => state.forget_all(),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn version(&self, own: Option<&u64>, accounts: u64) -> Option<Version> {
        self.listening.then(|| Version {
            epoch: self.epoch,
            accounts,
            own: own.copied().unwrap_or(0),
        })
    }

    /// A new epoch: every version so far is out of date (the per-vendor counts can start
    /// again, which keeps the maps small).
    fn forget_all(&mut self) {
        self.epoch += 1;
        self.catalogs.clear();
        self.teams.clear();
    }
}

fn bump(map: &mut HashMap<VendorId, u64>, vendor: VendorId) {
    *map.entry(vendor).or_default() += 1;
}

/// After a request of a vendor's team that may have written (not GET, HEAD or OPTIONS; not
/// refused), that vendor's versions move; after an admin's, every one does (admins change
/// vendors, users and catalogues). So the next request of that client — often the page
/// reading its list again — never waits for the feed to see the write. Other writers (shops'
/// checkouts, jobs) are heard through the feed.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let writes = !req.method().is_safe();
    let response = next.call(req).await?;
    if writes && !(response.status().is_client_error() || response.status().is_server_error()) {
        let holder = crate::extract::verified_holder(response.request());
        if let (Some(holder), Some(state)) =
            (holder, response.request().app_data::<web::Data<AppState>>())
        {
            match holder {
                (PrincipalKind::Vendor, Some(vendor)) => {
                    state.changes.changed_here(Some(VendorId(vendor)))
                }
                (PrincipalKind::Admin, _) => state.changes.changed_here(None),
                _ => {}
            }
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: VendorId = VendorId(1);
    const B: VendorId = VendorId(2);

    fn listening() -> ChangeFeed {
        let feed = ChangeFeed::default();
        feed.hear(Heard::Connected);
        feed
    }

    #[test]
    fn no_version_is_given_while_nobody_listens() {
        let feed = ChangeFeed::default();
        assert_eq!(feed.catalog(A), None);
        feed.hear(Heard::Connected);
        assert!(feed.catalog(A).is_some());
        feed.hear(Heard::Lost);
        assert_eq!(feed.team(A), None);
    }

    #[test]
    fn a_change_moves_only_its_vendors_version_of_that_kind() {
        let feed = listening();
        let (a, b, team_a) = (feed.catalog(A), feed.catalog(B), feed.team(A));
        feed.hear(Heard::Notice(Notice::Catalog(A)));
        assert_ne!(feed.catalog(A), a);
        assert_eq!(feed.catalog(B), b);
        assert_eq!(feed.team(A), team_a);
        feed.hear(Heard::Notice(Notice::Team(A)));
        assert_ne!(feed.team(A), team_a);
        assert_eq!(feed.catalog(B), b);
    }

    #[test]
    fn accounts_move_every_team_and_no_catalogue() {
        let feed = listening();
        let (team_a, team_b, catalog_a) = (feed.team(A), feed.team(B), feed.catalog(A));
        feed.hear(Heard::Notice(Notice::Accounts));
        assert_ne!(feed.team(A), team_a);
        assert_ne!(feed.team(B), team_b);
        assert_eq!(feed.catalog(A), catalog_a);
    }

    #[test]
    fn reconnecting_or_an_unknown_change_moves_every_version_for_good() {
        let feed = listening();
        feed.hear(Heard::Notice(Notice::Catalog(A)));
        let before = feed.catalog(A);
        feed.hear(Heard::Lost);
        feed.hear(Heard::Connected);
        let after = feed.catalog(A);
        assert_ne!(after, before);
        // The count starting again cannot give an old version back.
        feed.hear(Heard::Notice(Notice::Catalog(A)));
        assert_ne!(feed.catalog(A), before);
        let team = feed.team(B);
        feed.hear(Heard::Notice(Notice::Anything));
        assert_ne!(feed.team(B), team);
    }

    #[test]
    fn a_write_here_moves_its_vendor_or_everyone() {
        let feed = listening();
        let (a, b) = (feed.catalog(A), feed.team(B));
        feed.changed_here(Some(A));
        assert_ne!(feed.catalog(A), a);
        assert_eq!(feed.team(B), b);
        feed.changed_here(None);
        assert_ne!(feed.team(B), b);
    }
}
