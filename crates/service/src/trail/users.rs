//! Audit entries about accounts and sessions.

use fixdesk_domain::{
    Actor, AuditAction, AuditEntity, ClientInfo, NewAuditEntry, Preferences, User, UserId,
};
use serde_json::{Value, json};

use super::diff;

/// Attempted usernames are attacker-controlled; keep what is logged short.
/// A name someone typed, fit for the log: at most 100 characters, control characters shown as
/// `\u{…}` escapes (the log must hold what was tried, and never a NUL or a terminal escape).
fn clip(s: &str) -> String {
    let head: String = s.chars().take(100).collect();
    fixdesk_domain::text::escape_controls(&head).into_owned()
}

fn user_entry(
    actor: Option<UserId>,
    action: AuditAction,
    user: Option<UserId>,
    description: String,
    old_values: Option<Value>,
    new_values: Option<Value>,
    client: &ClientInfo,
) -> NewAuditEntry {
    super::entry(
        actor,
        action,
        AuditEntity::User,
        user.map(|u| u.0),
        description,
        old_values,
        new_values,
        client,
    )
}

pub(crate) fn login(user: &User, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Пользователь {} вошел в систему", user.username);
    user_entry(
        Some(user.id),
        AuditAction::Login,
        Some(user.id),
        d,
        None,
        None,
        client,
    )
}

pub(crate) fn login_failed(
    attempted: &str,
    user: Option<&User>,
    reason: &str,
    client: &ClientInfo,
) -> NewAuditEntry {
    let d = format!("Неудачная попытка входа: {} ({reason})", clip(attempted));
    let id = user.map(|u| u.id);
    user_entry(
        id,
        AuditAction::LoginFailed,
        id,
        d,
        None,
        Some(json!({"reason": reason})),
        client,
    )
}

pub(crate) fn logout(user: UserId, username: &str, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Пользователь {username} вышел из системы");
    user_entry(
        Some(user),
        AuditAction::Logout,
        Some(user),
        d,
        None,
        None,
        client,
    )
}

/// The fields of a user that the audit log shows (never the password hash).
pub(crate) fn user_values(u: &User) -> Value {
    json!({
        "username": u.username,
        "email": u.email,
        "full_name": u.full_name,
        "role": u.role.as_str(),
        "is_active": u.is_active,
    })
}

pub(crate) fn user_created(actor: UserId, user: &User, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Создан пользователь {}", user.username);
    user_entry(
        Some(actor),
        AuditAction::Create,
        Some(user.id),
        d,
        None,
        Some(user_values(user)),
        client,
    )
}

pub(crate) fn user_updated(
    actor: UserId,
    before: &User,
    after: &User,
    password_changed: bool,
    client: &ClientInfo,
) -> NewAuditEntry {
    let (old, mut new) = diff(&user_values(before), &user_values(after));
    if password_changed && let Some(m) = new.as_object_mut() {
        m.insert("password_changed".into(), Value::Bool(true));
    }
    let d = format!("Изменен пользователь {}", after.username);
    user_entry(
        Some(actor),
        AuditAction::Update,
        Some(after.id),
        d,
        Some(old),
        Some(new),
        client,
    )
}

pub(crate) fn user_deleted(actor: UserId, user: &User, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Удален пользователь {}", user.username);
    user_entry(
        Some(actor),
        AuditAction::Delete,
        Some(user.id),
        d,
        Some(user_values(user)),
        None,
        client,
    )
}

pub(crate) fn password_changed(user: &User, client: &ClientInfo) -> NewAuditEntry {
    let d = format!("Пользователь {} сменил пароль", user.username);
    let new = json!({"password_changed": true});
    user_entry(
        Some(user.id),
        AuditAction::Update,
        Some(user.id),
        d,
        None,
        Some(new),
        client,
    )
}

pub(crate) fn preferences_changed(
    actor: &Actor,
    old: &Preferences,
    new: &Preferences,
    client: &ClientInfo,
) -> NewAuditEntry {
    let d = format!("Пользователь {} изменил настройки", actor.username);
    let shown = |p: &Preferences| {
        json!({
            "time_zone": p.time_zone.map(|z| z.name()),
            "language": p.language.map(|l| l.as_str()),
        })
    };
    user_entry(
        Some(actor.id),
        AuditAction::Update,
        Some(actor.id),
        d,
        Some(shown(old)),
        Some(shown(new)),
        client,
    )
}
