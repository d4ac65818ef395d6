//! `fixdesk`: the server. Configuration comes from `fixdesk.toml` and the environment (see the
//! README); the flags below override the most common values.

use clap::Parser;
use fixdesk_app::{Application, Settings, init_tracing, shutdown_signal};

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
    init_tracing(settings.log_format);
    match run(settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            tracing::error!("{msg}");
            eprintln!("fixdesk: {msg}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> Result<(), fixdesk_app::AppError> {
    let app = Application::build(&settings).await?;
    if let Some(admin) = app.seeded_admin() {
        match &admin.generated_password {
            Some(p) => println!(
                "Created the first admin account.\n  username: {}\n  password: {p}\nThis password is shown once; change it after signing in.",
                admin.username
            ),
            None => println!("Created the first admin account `{}`.", admin.username),
        }
    }
    println!(
        "fixdesk is serving on http://{}/ (API docs at /docs)",
        app.local_addr()
    );
    app.run_until(shutdown_signal()).await
}
