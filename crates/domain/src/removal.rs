//! What asking to delete something did: deleted it, or kept it (inactive or retired) because
//! tickets still name it, so the person who asked can be told what really happened.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Deleted,
    /// Kept, out of use, because this many tickets refer to it.
    KeptForTickets(u64),
}
