//! The job queue's machinery: the workers (`worker`), each job's lease (`lease`), the periodic
//! sweeps that queue work (`sweeps`), housekeeping of finished jobs (`housekeeping`), and how
//! a job's failure is shown (`failure`). What each job does lives with its area.

pub(crate) mod failure;
mod housekeeping;
pub(crate) mod lease;
pub(crate) mod sweeps;
pub(crate) mod worker;

pub use housekeeping::Housekept;
pub(crate) use housekeeping::prune;
