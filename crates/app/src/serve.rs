//! Running the server as a process: logging, the first admin's password on the terminal,
//! serving until SIGINT/SIGTERM, and an exit code. The `fixdesk` binary and the end-to-end
//! tests' server process both run this.

use std::process::ExitCode;

use crate::{Application, Settings, init_tracing, signals};

/// Serves with `settings` until a shutdown signal; failures are logged and printed.
pub async fn serve(settings: Settings) -> ExitCode {
    init_tracing(settings.log_format);
    signals::survive_file_size_limit();
    match run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            tracing::error!("{msg}");
            eprintln!("fixdesk: {msg}");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> Result<(), crate::AppError> {
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
    println!("database: {}", app.service().database().location());
    println!(
        "fixdesk is serving on http://{}/ (API docs at /docs)",
        app.local_addr()
    );
    app.run_until(signals::shutdown()).await
}
