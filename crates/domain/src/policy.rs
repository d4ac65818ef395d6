//! Who may see and change users. Kept in one place so the HTTP API, the web UI and embedding
//! programs enforce the same rules.

use crate::{Actor, DomainError, User, UserChanges};

/// An admin may not delete their own account (they would lock themselves out mid-request).
pub fn ensure_can_delete(actor: &Actor, target: &User) -> Result<(), DomainError> {
    actor.require_admin()?;
    if actor.id == target.id {
        return Err(DomainError::CannotDeleteSelf);
    }
    Ok(())
}

/// The last active admin may not lose admin rights: without one nobody can manage users.
/// `other_active_admins` counts active admins other than `target`.
pub fn ensure_admins_remain(
    target: &User,
    changes: Option<&UserChanges>,
    other_active_admins: u64,
) -> Result<(), DomainError> {
    let removes = match changes {
        Some(c) => c.removes_admin(target),
        None => target.role == crate::Role::Admin && target.is_active,
    };
    if removes && other_active_admins == 0 {
        return Err(DomainError::LastAdmin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Role, SessionId, UserId};

    fn user(id: i64, role: Role) -> User {
        User {
            id: UserId(id),
            username: format!("u{id}"),
            email: None,
            full_name: None,
            role,
            is_active: true,
        }
    }

    fn actor(id: i64, role: Role) -> Actor {
        Actor {
            id: UserId(id),
            username: format!("u{id}"),
            full_name: None,
            role,
            session: SessionId("s".into()),
        }
    }

    #[test]
    fn admins_cannot_delete_themselves_and_others_cannot_delete_at_all() {
        assert_eq!(
            ensure_can_delete(&actor(1, Role::Admin), &user(1, Role::Admin)),
            Err(DomainError::CannotDeleteSelf)
        );
        assert!(ensure_can_delete(&actor(1, Role::Admin), &user(2, Role::User)).is_ok());
        assert_eq!(
            ensure_can_delete(&actor(3, Role::Agent), &user(2, Role::User)),
            Err(DomainError::AdminRequired)
        );
    }

    #[test]
    fn last_admin_is_protected() {
        let admin = user(1, Role::Admin);
        let demote = UserChanges {
            role: Some(Role::User),
            ..Default::default()
        };
        assert_eq!(
            ensure_admins_remain(&admin, Some(&demote), 0),
            Err(DomainError::LastAdmin)
        );
        assert!(ensure_admins_remain(&admin, Some(&demote), 1).is_ok());
        assert_eq!(
            ensure_admins_remain(&admin, None, 0),
            Err(DomainError::LastAdmin)
        );
        assert!(ensure_admins_remain(&user(2, Role::Agent), None, 0).is_ok());
    }
}
