//! `fixdesk-migrate`: schema migrations and operator tasks, with the server's configuration.
//! The work is `fixdesk_app::operator`'s; this binary only runs it.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    fixdesk_app::operator::main().await
}
