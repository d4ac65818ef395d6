//! Users: every old account, placeholders for the ones the old data refers to but no longer
//! has, and the seeded admin making way for the old admin.

use std::collections::HashSet;

use fixdesk_db::ConnectionTrait;
use fixdesk_domain::{Role, Username};
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
    sessions, users,
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run};

/// A password hash nothing verifies against: the account exists but cannot sign in until an
/// admin or the operator sets a password.
const NO_PASSWORD: &str = "!";

/// The users that exist after the user step.
pub(super) struct People {
    /// Every user id that now exists.
    pub(super) known: HashSet<i64>,
    /// The stand-ins for users the old data referred to but no longer had.
    pub(super) placeholders: HashSet<i64>,
}

/// Users, placeholders for the missing ones, and the seeded admin moved out of the way.
pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
) -> Result<People, ServiceError> {
    let seeded = users::all(run.conn).await?;
    let referenced = legacy::referenced_user_ids(run.legacy.reader()).await?;
    let mut all: Vec<legacy::User> = Vec::new();
    run.each_batch("users", columns::USERS, |_, batch: Vec<legacy::User>| {
        all.extend(batch.iter().cloned());
        let n = batch.len() as u64;
        Box::pin(async move { Ok(n) })
    })
    .await?;
    let legacy_ids: HashSet<i64> = all.iter().map(|u| u.id).collect();
    for s in &seeded {
        if legacy_ids.contains(&s.id.0) {
            run.repair(
                "users",
                s.id.0,
                format!("fixdesk's seeded account '{}' has this id", s.username),
                "replaced by the imported user",
            );
        } else if all
            .iter()
            .any(|u| u.username.as_deref() == Some(s.username.as_str()))
        {
            import::retire_user(run.conn, s.id.0, run.now).await?;
            run.repair(
                "users",
                s.id.0,
                format!(
                    "fixdesk's seeded account '{}' has an imported user's name",
                    s.username
                ),
                "seeded account retired",
            );
        }
        sessions::revoke_all(run.conn, s.id, None, run.now).await?;
    }
    let mut emails: HashSet<String> = HashSet::new();
    let mut names: HashSet<String> = HashSet::new();
    let mut rows_out = Vec::new();
    for u in all {
        let id = u.id;
        let raw_name = u.username.clone().unwrap_or_default();
        let mut username = match Username::parse(&raw_name) {
            Ok(n) => n.into_inner(),
            Err(e) => {
                let fixed: String = raw_name
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("_")
                    .chars()
                    .take(40)
                    .collect();
                let fixed = if fixed.chars().count() < 3 {
                    format!("user_{id}")
                } else {
                    fixed
                };
                run.repair(
                    "users",
                    id,
                    format!("username '{raw_name}': {}", e.message),
                    format!("renamed to '{fixed}'"),
                );
                fixed
            }
        };
        if !names.insert(username.clone()) {
            let renamed = format!("{username}_{id}");
            run.repair(
                "users",
                id,
                format!("username '{username}' is taken"),
                format!("renamed to '{renamed}'"),
            );
            username = renamed;
            names.insert(username.clone());
        }
        let email = match u.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(raw) => match fixdesk_domain::Email::parse(raw) {
                Err(_) => {
                    run.repair(
                        "users",
                        id,
                        format!("email '{raw}' is not an address"),
                        "email removed",
                    );
                    None
                }
                Ok(e) if !emails.insert(e.as_str().to_string()) => {
                    run.repair(
                        "users",
                        id,
                        format!("email '{raw}' belongs to another user (differing only in case)"),
                        "email removed",
                    );
                    None
                }
                Ok(e) => Some(e.into_inner()),
            },
        };
        let role = run.note("users", id, repair::role(u.role.as_deref()));
        let is_active = match u.is_active {
            Some(a) => a,
            None => {
                run.repair("users", id, "is_active missing", "imported inactive");
                false
            }
        };
        let hashed_password = match u.hashed_password.filter(|h| !h.is_empty()) {
            Some(h) => h,
            None => {
                run.repair(
                    "users",
                    id,
                    "no password hash",
                    "cannot sign in until a password is set",
                );
                NO_PASSWORD.into()
            }
        };
        let full_name = run.note(
            "users",
            id,
            repair::optional_text("full_name", u.full_name.as_deref(), 100),
        );
        rows_out.push(rows::User {
            id,
            username,
            email,
            hashed_password,
            full_name,
            role: role.as_str().into(),
            is_active,
            created_at: run.now,
            updated_at: run.now,
            deleted_at: None,
        });
    }
    let mut known: HashSet<i64> = rows_out.iter().map(|u| u.id).collect();
    known.extend(seeded.iter().map(|s| s.id.0));
    let missing: HashSet<i64> = referenced
        .into_iter()
        .filter(|id| !known.contains(id))
        .collect();
    for &id in &missing {
        run.repair(
            "users",
            id,
            "referred to but missing",
            "placeholder 'deleted user' created",
        );
        rows_out.push(rows::User {
            id,
            username: format!("deleted_user_{id}"),
            email: None,
            hashed_password: NO_PASSWORD.into(),
            full_name: Some(format!("Удалённый пользователь #{id}")),
            role: Role::User.as_str().into(),
            is_active: false,
            created_at: run.now,
            updated_at: run.now,
            deleted_at: Some(run.now),
        });
        known.insert(id);
    }
    import::users(run.conn, rows_out).await?;
    Ok(People {
        known,
        placeholders: missing,
    })
}
