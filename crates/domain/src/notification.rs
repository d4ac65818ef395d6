//! Notifications: what a user is told about tickets they are part of.

use std::{collections::BTreeMap, str::FromStr};

use chrono::NaiveDateTime;

use crate::{FieldError, Language, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotificationKind {
    /// A ticket was filed (to staff).
    TicketCreated,
    /// A ticket was assigned to the recipient.
    TicketAssigned,
    /// The status of the recipient's ticket changed.
    TicketUpdated,
    /// The recipient's ticket was closed.
    TicketCompleted,
    /// Someone wrote in the thread of a ticket the recipient is part of.
    TicketMessage,
    /// A service-level target of a ticket the recipient is on is 80 % used.
    SlaWarning,
    /// A service-level target was broken.
    SlaBreached,
    System,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 8] = [
        NotificationKind::TicketCreated,
        NotificationKind::TicketAssigned,
        NotificationKind::TicketUpdated,
        NotificationKind::TicketCompleted,
        NotificationKind::TicketMessage,
        NotificationKind::SlaWarning,
        NotificationKind::SlaBreached,
        NotificationKind::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::TicketCreated => "ticket_created",
            NotificationKind::TicketAssigned => "ticket_assigned",
            NotificationKind::TicketUpdated => "ticket_updated",
            NotificationKind::TicketCompleted => "ticket_completed",
            NotificationKind::TicketMessage => "ticket_message",
            NotificationKind::SlaWarning => "sla_warning",
            NotificationKind::SlaBreached => "sla_breached",
            NotificationKind::System => "system",
        }
    }
}

impl NotificationKind {
    /// What a notice of this kind says about ticket `ticket`, in `lang`: the web's titles and
    /// the first line of a mail (the stored title is the old API's Russian sentence). `None`
    /// for system notices, whose stored title is all there is.
    pub fn headline(self, lang: Language, ticket: i64) -> Option<String> {
        let (ru, en) = match self {
            NotificationKind::TicketCreated => ("Новая заявка #{}", "New ticket #{}"),
            NotificationKind::TicketAssigned => {
                ("Вам назначена заявка #{}", "Ticket #{} was assigned to you")
            }
            NotificationKind::TicketUpdated => (
                "Статус заявки #{} изменился",
                "The status of ticket #{} changed",
            ),
            NotificationKind::TicketCompleted => ("Заявка #{} закрыта", "Ticket #{} was closed"),
            NotificationKind::TicketMessage => {
                ("Новое сообщение в заявке #{}", "New message on ticket #{}")
            }
            NotificationKind::SlaWarning => (
                "Заявка #{}: срок скоро истекает",
                "Ticket #{} is nearly due",
            ),
            NotificationKind::SlaBreached => ("Заявка #{}: срок нарушен", "Ticket #{} is overdue"),
            NotificationKind::System => return None,
        };
        let pattern = match lang {
            Language::Ru => ru,
            Language::En => en,
        };
        Some(pattern.replace("{}", &ticket.to_string()))
    }
}

impl FromStr for NotificationKind {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            FieldError::new(
                "settings",
                "enum",
                "Keys should be ticket_created, ticket_assigned, ticket_updated, ticket_completed, ticket_message, sla_warning, sla_breached or system",
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub user_id: UserId,
    pub title: String,
    pub message: String,
    pub kind: NotificationKind,
    /// The ticket it is about, if any.
    pub related_id: Option<i64>,
    pub is_read: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub user_id: UserId,
    pub title: String,
    pub message: String,
    pub kind: NotificationKind,
    pub related_id: Option<i64>,
}

/// Which kinds of notification a user wants. Everything is on until switched off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationSettings(pub BTreeMap<NotificationKind, bool>);

impl NotificationSettings {
    pub fn wants(&self, kind: NotificationKind) -> bool {
        self.0.get(&kind).copied().unwrap_or(true)
    }

    /// Every kind with its current choice.
    pub fn effective(&self) -> Vec<(NotificationKind, bool)> {
        NotificationKind::ALL
            .iter()
            .map(|k| (*k, self.wants(*k)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_is_on_until_switched_off() {
        let mut s = NotificationSettings::default();
        assert!(s.wants(NotificationKind::TicketCreated));
        s.0.insert(NotificationKind::TicketCreated, false);
        assert!(!s.wants(NotificationKind::TicketCreated));
        assert!(s.wants(NotificationKind::TicketMessage));
        assert_eq!(
            "ticket_message".parse::<NotificationKind>(),
            Ok(NotificationKind::TicketMessage)
        );
        assert!("spam".parse::<NotificationKind>().is_err());
    }
}
