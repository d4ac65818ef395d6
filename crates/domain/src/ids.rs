//! Typed identifiers, so a user id can never be passed where a ticket id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

row_id!(
    /// A user. Ids are never reused, even after deletion.
    UserId
);
row_id!(
    /// A repair ticket.
    TicketId
);
row_id!(
    /// A ticket category (whose name doubles as an equipment type).
    CategoryId
);
row_id!(
    /// An item of equipment.
    EquipmentId
);
row_id!(
    /// A message in a ticket's thread.
    MessageId
);
row_id!(
    /// A maintenance record of an item of equipment.
    MaintenanceId
);

/// The opaque id of a login session; a token names its session so it can be revoked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionId(pub String);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
