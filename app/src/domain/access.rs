//! Who may do what. Checked on the server at the top of every endpoint, whatever the pages show.
//!
//! - admin (CDO office): everything;
//! - owner (department lead): records and edits milestones of the sub-goals assigned to them;
//! - viewer (council, advisory board): reads everything, changes nothing;
//! - nobody signed in: reads only when the setting "public read access" is on.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Owner,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Owner, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Owner => "owner",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signed-in user as the app sees them: no password hash, safe to send to the browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The sub-goals this user answers for (owners only).
    pub owned_subgoals: Vec<i64>,
}

/// Why a request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Nobody is signed in, and signing in might help (401).
    NotSignedIn,
    /// Signed in, but this role or user may not (403).
    NotAllowed,
}

/// Reading the strategy: anyone signed in, and everyone while public read access is on.
pub fn may_read(caller: Option<&Account>, public_read: bool) -> Result<(), Denied> {
    if caller.is_some() || public_read {
        Ok(())
    } else {
        Err(Denied::NotSignedIn)
    }
}

/// The owner's page ("Meine Teilziele"): owners, and admins (for any department).
pub fn may_report(caller: Option<&Account>) -> Result<(), Denied> {
    match caller {
        None => Err(Denied::NotSignedIn),
        Some(account) if matches!(account.role, Role::Admin | Role::Owner) => Ok(()),
        Some(_) => Err(Denied::NotAllowed),
    }
}

/// Recording and changing the milestones of a sub-goal: admins, and the sub-goal's owners.
pub fn may_edit_subgoal(caller: Option<&Account>, subgoal_id: i64) -> Result<(), Denied> {
    match caller {
        None => Err(Denied::NotSignedIn),
        Some(account) if account.role == Role::Admin => Ok(()),
        Some(account)
            if account.role == Role::Owner && account.owned_subgoals.contains(&subgoal_id) =>
        {
            Ok(())
        }
        Some(_) => Err(Denied::NotAllowed),
    }
}

/// Users, roles, the strategy's structure and settings: admins only.
pub fn may_administer(caller: Option<&Account>) -> Result<(), Denied> {
    match caller {
        None => Err(Denied::NotSignedIn),
        Some(account) if account.role == Role::Admin => Ok(()),
        Some(_) => Err(Denied::NotAllowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role, owned: &[i64]) -> Account {
        Account {
            id: 1,
            login: "x".into(),
            display_name: "X".into(),
            role,
            owned_subgoals: owned.to_vec(),
        }
    }

    #[test]
    fn reading_needs_a_user_or_public_access() {
        assert_eq!(may_read(None, false), Err(Denied::NotSignedIn));
        assert_eq!(may_read(None, true), Ok(()));
        for role in Role::ALL {
            assert_eq!(may_read(Some(&account(role, &[])), false), Ok(()));
        }
    }

    #[test]
    fn owners_edit_only_their_own_subgoals_and_admins_all() {
        let owner = account(Role::Owner, &[3, 5]);
        assert_eq!(may_edit_subgoal(Some(&owner), 3), Ok(()));
        assert_eq!(may_edit_subgoal(Some(&owner), 4), Err(Denied::NotAllowed));
        assert_eq!(
            may_edit_subgoal(Some(&account(Role::Admin, &[])), 4),
            Ok(())
        );
        assert_eq!(
            may_edit_subgoal(Some(&account(Role::Viewer, &[4])), 4),
            Err(Denied::NotAllowed),
            "a viewer assigned by mistake still changes nothing"
        );
        assert_eq!(may_edit_subgoal(None, 4), Err(Denied::NotSignedIn));
    }

    #[test]
    fn only_admins_administer() {
        assert_eq!(may_administer(Some(&account(Role::Admin, &[]))), Ok(()));
        assert_eq!(
            may_administer(Some(&account(Role::Owner, &[1]))),
            Err(Denied::NotAllowed)
        );
        assert_eq!(
            may_administer(Some(&account(Role::Viewer, &[]))),
            Err(Denied::NotAllowed)
        );
        assert_eq!(may_administer(None), Err(Denied::NotSignedIn));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Admin"), None);
    }
}
