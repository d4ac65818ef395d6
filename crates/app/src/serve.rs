//! Running the server as a process: logging, the first admin's password into a file only the
//! service's user can read, serving until SIGINT/SIGTERM, and an exit code. The `fixdesk`
//! binary and the end-to-end tests' server process both run this.

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
            // The terminal of a service is its log: the password goes into a file instead.
            Some(p) => {
                let file = initial_password_file(&settings.data_dir, p)
                    .await
                    .map_err(crate::AppError::Serve)?;
                tracing::info!(username = %admin.username, file = %file.display(), "created the first admin account; its password is in the file");
                println!(
                    "Created the first admin account `{}`; its password is in {} (readable by this user only). Sign in, change it, then delete the file.",
                    admin.username,
                    file.display()
                );
            }
            None => println!("Created the first admin account `{}`.", admin.username),
        }
    }
    println!("database: {}", app.service().database().location());
    println!(
        "fixdesk is serving on http://{}/ (API docs at /docs)",
        app.local_addr()
    );
    // Under systemd (Type=notify) the unit is started only now: migrated and listening.
    notify(sd_notify::NotifyState::Ready);
    let stopping = async {
        signals::shutdown().await;
        notify(sd_notify::NotifyState::Stopping);
    };
    app.run_until(stopping).await
}

/// Tells systemd how the service is doing; does nothing when not started by it.
fn notify(state: sd_notify::NotifyState<'_>) {
    if let Err(e) = sd_notify::notify(false, &[state]) {
        tracing::warn!(error = %e, "could not notify systemd");
    }
}

/// Writes the first admin's generated password to `<data_dir>/initial-admin-password`, mode
/// 0600 in a 0700 directory created if needed; returns the file's path.
async fn initial_password_file(
    data_dir: &str,
    password: &str,
) -> std::io::Result<std::path::PathBuf> {
    use tokio::io::AsyncWriteExt;
    let dir = std::path::Path::new(data_dir);
    tokio::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .await?;
    let path = dir.join("initial-admin-password");
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .await?;
    file.write_all(format!("{password}\n").as_bytes()).await?;
    file.sync_all().await?;
    Ok(path)
}
