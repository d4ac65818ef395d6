//! The server as its own process, for the end-to-end tests that kill it (`kill -9`) or limit
//! it (`prlimit`): exactly what the `fixdesk` binary runs, configured by `FIXDESK_*` only.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match fixdesk_app::Settings::load() {
        Ok(settings) => fixdesk_app::serve(settings).await,
        Err(e) => {
            eprintln!("fixdesk: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
