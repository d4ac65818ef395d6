//! The web interface in a real browser: Debian's headless Chromium driven through
//! chromedriver, against the real server on 127.0.0.1 with its own database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod desk;
mod harness;
mod journeys;
mod pages;
