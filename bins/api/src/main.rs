//! `fixdesk`: the server. Configuration comes from `fixdesk.toml` and the environment (see the
//! README); the flags below override the most common values.

use clap::Parser;
use fixdesk_app::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "fixdesk",
    version,
    about = "The fixdesk equipment-repair helpdesk server"
)]
struct Args {
    /// Address to listen on (default 127.0.0.1:8000).
    #[arg(long)]
    bind: Option<String>,
    /// Database URL (default sqlite://fixdesk.db in the working directory).
    #[arg(long)]
    database_url: Option<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fixdesk: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(b) = args.bind {
        settings.bind = b;
    }
    if let Some(u) = args.database_url {
        settings.database_url = u;
    }
    fixdesk_app::serve(settings).await
}
