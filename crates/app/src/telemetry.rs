//! Structured logs through `tracing`. `RUST_LOG` overrides the default filter, which keeps the
//! database drivers quiet (sqlx logs every statement at INFO otherwise).

use tracing_subscriber::EnvFilter;

use crate::LogFormat;

pub(crate) fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    // Colour codes only for a person at a terminal; a redirected log stays plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    // A second initialisation (tests) is harmless; ignore it.
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
