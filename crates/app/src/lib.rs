//! The composition root: settings from defaults, `fixdesk.toml` and the environment; logging;
//! the whole application built from settings; serving with graceful shutdown. The server
//! binary and the end-to-end tests both build fixdesk through [`Application::build`], so what
//! is tested is what runs.

mod application;
mod connections;
pub mod operator;
mod serve;
mod settings;
mod signals;
mod telemetry;

pub use application::{AppError, Application};
pub use connections::ConnectionLimits;
pub use serve::serve;
pub use settings::{Environment, LogFormat, Settings, SettingsError};
use telemetry::init_tracing;
