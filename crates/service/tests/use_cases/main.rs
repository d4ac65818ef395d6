//! The use cases through [`Fixdesk`], below any transport: the write rules that matter —
//! one unit of work per change with its audit row and its counters, nothing left behind by a
//! refusal or a failure, and every permission checked by the use case itself — so a failure
//! here names the use case, not an endpoint. In-memory SQLite by default; a database of its
//! own on the PostgreSQL server of `FIXDESK_TEST_DATABASE_URL` when that is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod desk;
mod people;
mod reading;
mod workflow;
mod writes;
