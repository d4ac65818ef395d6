//! The process signals the server answers.

use tokio::signal::unix::{SignalKind, signal};

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// SIGXFSZ: a write past the process's file-size limit (`ulimit -f`) would kill the server by
/// default, taking every request in flight with it. Handled, the write fails with EFBIG
/// instead, which the database reports like a full disk: 503, and nothing acknowledged lost.
pub(crate) fn survive_file_size_limit() {
    const SIGXFSZ: i32 = 25;
    match signal(SignalKind::from_raw(SIGXFSZ)) {
        Ok(mut s) => {
            tokio::spawn(async move {
                while s.recv().await.is_some() {
                    tracing::warn!("a file reached the process's size limit (SIGXFSZ)");
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot handle SIGXFSZ"),
    }
}
