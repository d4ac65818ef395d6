//! How domain values read on a page: labels in the visitor's language, dates, pagination.

use fixdesk_usecases::domain::{
    EquipmentStatus, MaintenanceKind, Priority, Removal, Role, TicketStatus,
};
use serde::Serialize;

use crate::i18n::Texts;

pub fn role_label(t: &Texts, role: Role) -> &'static str {
    match role {
        Role::Admin => t.role_admin,
        Role::Agent => t.role_agent,
        Role::User => t.role_user,
    }
}

pub fn status_label(t: &Texts, status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::New => t.status_new,
        TicketStatus::InProgress => t.status_in_progress,
        TicketStatus::Closed => t.status_closed,
    }
}

pub fn priority_label(t: &Texts, priority: Priority) -> &'static str {
    match priority {
        Priority::Low => t.priority_low,
        Priority::Medium => t.priority_medium,
        Priority::High => t.priority_high,
    }
}

pub fn equipment_status_label(t: &Texts, status: EquipmentStatus) -> &'static str {
    match status {
        EquipmentStatus::Active => t.equipment_active,
        EquipmentStatus::Inactive => t.equipment_inactive,
        EquipmentStatus::Repair => t.equipment_repair,
        EquipmentStatus::Decommissioned => t.equipment_decommissioned,
    }
}

pub fn maintenance_label(t: &Texts, kind: MaintenanceKind) -> &'static str {
    match kind {
        MaintenanceKind::Maintenance => t.maintenance_maintenance,
        MaintenanceKind::Repair => t.maintenance_repair,
        MaintenanceKind::Inspection => t.maintenance_inspection,
        MaintenanceKind::Upgrade => t.maintenance_upgrade,
        MaintenanceKind::Other => t.maintenance_other,
    }
}

pub fn audit_action_label<'a>(t: &Texts, code: &'a str) -> &'a str {
    match code {
        "CREATE" => t.action_create,
        "UPDATE" => t.action_update,
        "DELETE" => t.action_delete,
        "LOGIN" => t.action_login,
        "LOGIN_FAILED" => t.action_login_failed,
        "LOGOUT" => t.action_logout,
        "ACCESS_DENIED" => t.action_access_denied,
        other => other,
    }
}

pub fn audit_entity_label<'a>(t: &Texts, code: &'a str) -> &'a str {
    match code {
        "user" => t.entity_user,
        "ticket" => t.entity_ticket,
        "ticket_message" => t.entity_message,
        "category" => t.entity_category,
        "equipment" => t.entity_equipment,
        "maintenance" => t.entity_maintenance,
        "notification" => t.entity_notification,
        "attachment" => t.entity_attachment,
        "request" => t.entity_request,
        "inbound_mail" => t.entity_inbound_mail,
        other => other,
    }
}

/// What a deletion really did: "deleted", or `kept` ("deactivated: {} tickets use it").
pub fn removal_text(t: &Texts, removal: Removal, kept: &str) -> String {
    match removal {
        Removal::Deleted => t.deleted.to_string(),
        Removal::KeptForTickets(n) => kept.replace("{}", &n.to_string()),
    }
}

/// What a new password must be, as the forms that set one say it.
pub fn password_rules(t: &Texts) -> String {
    use fixdesk_usecases::domain::Password;
    t.password_rules
        .replace("{min}", &Password::MIN.to_string())
        .replace("{max}", &Password::MAX.to_string())
}

/// What the file inputs offer to pick (the service checks names and content again).
pub const ACCEPTED_FILES: &str =
    ".jpg,.jpeg,.png,.gif,.heic,.heif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.txt,.zip,.rar,image/*";

/// An option of a `<select>`.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Self {
        let value = value.into();
        Self {
            selected: value == current,
            label: label.into(),
            value,
        }
    }
}

pub fn status_choices(t: &Texts, current: &str) -> Vec<Choice> {
    TicketStatus::ALL
        .into_iter()
        .map(|s| Choice::new(s.as_str(), status_label(t, s), current))
        .collect()
}

pub fn priority_choices(t: &Texts, current: &str) -> Vec<Choice> {
    Priority::ALL
        .into_iter()
        .map(|p| Choice::new(p.as_str(), priority_label(t, p), current))
        .collect()
}

pub fn role_choices(t: &Texts, current: &str) -> Vec<Choice> {
    [Role::User, Role::Agent, Role::Admin]
        .into_iter()
        .map(|r| Choice::new(r.as_str(), role_label(t, r), current))
        .collect()
}

/// Rows per page of every list.
pub const PAGE_SIZE: u64 = 25;

/// Links to the pages of a list, keeping its filters: the neighbours, and (when the total is
/// known) the first, the last and those around the current one by number.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Numbered links; `None` stands for a gap ("…").
    pub numbers: Vec<Option<(u64, String)>>,
}

impl Pager {
    /// `filters` is the list's query without its page; `total` is `None` when the list does
    /// not count (then `has_more` decides whether there is a next page).
    pub fn new<F: Serialize>(
        base: &str,
        filters: &F,
        page: u64,
        total: Option<u64>,
        has_more: bool,
    ) -> Self {
        let query = serde_urlencoded::to_string(filters).unwrap_or_default();
        let link = |p: u64| {
            if query.is_empty() {
                format!("{base}?page={p}")
            } else {
                format!("{base}?{query}&page={p}")
            }
        };
        let pages = total.map_or(page + u64::from(has_more), Self::last);
        let mut numbers = Vec::new();
        if total.is_some() {
            let mut shown = 0;
            for p in 1..=pages {
                if p == 1 || p == pages || p.abs_diff(page) <= 2 {
                    if shown + 1 < p {
                        numbers.push(None);
                    }
                    numbers.push(Some((p, link(p))));
                    shown = p;
                }
            }
        }
        Self {
            page,
            pages,
            total: total.unwrap_or(0),
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            numbers,
        }
    }

    /// The last page of a list of `total` rows (1 when empty).
    pub fn last(total: u64) -> u64 {
        total.div_ceil(PAGE_SIZE).max(1)
    }

    pub fn offset(page: u64) -> u64 {
        page.saturating_sub(1) * PAGE_SIZE
    }
}

/// A number with one decimal, written as the reader's language writes it ("12,5" in Russian).
pub fn decimal(t: &Texts, value: impl Number) -> String {
    let written = format!("{:.1}", value.value());
    if t.lang_code == "ru" {
        written.replace('.', ",")
    } else {
        written
    }
}

/// A number however many references deep a template holds it.
pub trait Number {
    fn value(&self) -> f64;
}

impl Number for f64 {
    fn value(&self) -> f64 {
        *self
    }
}

impl<T: Number + ?Sized> Number for &T {
    fn value(&self) -> f64 {
        (**self).value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct F {
        q: &'static str,
    }

    #[test]
    fn pager_keeps_filters_and_stops_at_the_ends() {
        let p = Pager::new(
            "/ui/tickets",
            &F {
                q: "принтер"
            },
            1,
            Some(51),
            false,
        );
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev, None);
        assert_eq!(
            p.next.as_deref(),
            Some("/ui/tickets?q=%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80&page=2")
        );
        let last = Pager::new("/ui/tickets", &F { q: "" }, 3, Some(51), false);
        assert_eq!(last.next, None);
        assert!(last.prev.is_some());
        let open = Pager::new("/ui/audit", &F { q: "" }, 2, None, true);
        assert_eq!(open.pages, 3);
        assert!(open.numbers.is_empty());
    }

    #[test]
    fn numbered_links_skip_what_is_far_away() {
        let p = Pager::new("/ui/tickets", &F { q: "" }, 20, Some(41 * PAGE_SIZE), false);
        let shown: Vec<Option<u64>> = p
            .numbers
            .iter()
            .map(|n| n.as_ref().map(|(n, _)| *n))
            .collect();
        assert_eq!(
            shown,
            vec![
                Some(1),
                None,
                Some(18),
                Some(19),
                Some(20),
                Some(21),
                Some(22),
                None,
                Some(41)
            ]
        );
        assert_eq!(Pager::last(0), 1);
        assert_eq!(Pager::last(26), 2);
    }
}
