//! The server as a separate process (the `fixdesk-e2e-server` binary, which runs exactly what
//! `fixdesk` runs), for tests that must kill it with SIGKILL or limit it from outside.

use std::{path::Path, process::Stdio, time::Duration};

use fixdesk_tests::{ADMIN_PASSWORD, TEST_SECRET};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    pub base: String,
    /// Where the server said its data is.
    pub database: String,
}

impl ServerProcess {
    /// Starts a server on a free port of 127.0.0.1 with its files in `dir` and the database
    /// at `database_url`, and waits until it serves.
    pub async fn start(dir: &Path, database_url: &str) -> Self {
        Self::start_with(dir, database_url, &[]).await
    }

    /// Like [`ServerProcess::start`], with further `FIXDESK_*` settings (which win).
    pub async fn start_with(dir: &Path, database_url: &str, settings: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fixdesk-e2e-server"))
            .current_dir(dir)
            .env("FIXDESK_BIND", "127.0.0.1:0")
            .env("FIXDESK_DATABASE_URL", database_url)
            .env("FIXDESK_DATA_DIR", dir.join("data"))
            .env("FIXDESK_SECRET_KEY", TEST_SECRET)
            .env("FIXDESK_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("FIXDESK_RATE_LIMIT_PER_MINUTE", "1000000")
            .env("RUST_LOG", "error")
            .envs(settings.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the server process starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let (base, database) = tokio::time::timeout(Duration::from_secs(60), async {
            let mut database = String::new();
            while let Some(line) = lines.next_line().await.expect("server output") {
                if let Some(rest) = line.strip_prefix("database: ") {
                    database = rest.to_string();
                }
                if let Some(rest) = line.strip_prefix("fixdesk is serving on ") {
                    let base = rest.split_whitespace().next().unwrap();
                    return (base.trim_end_matches('/').to_string(), database);
                }
            }
            panic!("the server exited before serving");
        })
        .await
        .expect("the server serves within a minute");
        // Keep reading, so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self {
            child,
            base,
            database,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("a running server")
    }

    /// SIGKILL: no shutdown, no flush, nothing but what is already durable survives.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("kill -9");
    }

    /// SIGTERM, then waits for the graceful shutdown.
    pub async fn stop(mut self) {
        let status = Command::new("kill")
            .arg(self.pid().to_string())
            .status()
            .await
            .expect("kill");
        assert!(status.success());
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the server stops within the grace period")
            .expect("exit status");
    }

    /// Sets the process's file-size limit (`RLIMIT_FSIZE`) from outside, as an operator's
    /// `prlimit` would: `None` lifts it.
    pub async fn limit_file_size(&self, bytes: Option<u64>) {
        let value = bytes.map_or("unlimited".to_string(), |b| b.to_string());
        let status = Command::new("prlimit")
            .arg(format!("--pid={}", self.pid()))
            .arg(format!("--fsize={value}:unlimited"))
            .status()
            .await
            .expect("prlimit (util-linux)");
        assert!(status.success(), "prlimit failed");
    }
}
