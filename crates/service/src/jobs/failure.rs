//! How a job's failure is shown in the job list.

/// A job's failure whose text is fit for the job list (say, what the mail server answered),
/// where any other internal error shows only as "internal error".
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Shown(pub(crate) String);
