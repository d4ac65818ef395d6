//! A Server-Sent Events client for the notification stream, reading `(id, data)` pairs.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::{TestApp, TestUser};

#[derive(Debug)]
pub struct Sse {
    body: reqwest::Response,
    buffer: String,
    ended: bool,
}

impl Sse {
    pub async fn open(app: &TestApp, u: &TestUser, last_event_id: Option<i64>) -> Self {
        Self::connect(&app.client, &app.base, &u.token, last_event_id).await
    }

    /// Opens the stream of the holder of `token` at the server `base`, resuming after
    /// `last_event_id` when given.
    pub async fn connect(
        client: &reqwest::Client,
        base: &str,
        token: &str,
        last_event_id: Option<i64>,
    ) -> Self {
        Self::try_connect(client, base, token, last_event_id)
            .await
            .unwrap()
    }

    /// Like [`Sse::connect`], but a server that cannot be reached (killed, say) is an error
    /// to retry rather than a failed test.
    pub async fn try_connect(
        client: &reqwest::Client,
        base: &str,
        token: &str,
        last_event_id: Option<i64>,
    ) -> Result<Self, reqwest::Error> {
        let mut r = client
            .get(format!("{base}/api/v1/notifications/stream?token={token}"))
            .timeout(Duration::from_secs(600));
        if let Some(id) = last_event_id {
            r = r.header("Last-Event-ID", id.to_string());
        }
        let resp = r.send().await?;
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        Ok(Self {
            body: resp,
            buffer: String::new(),
            ended: false,
        })
    }

    /// Whether the server ends the stream within `wait` (events before the end are skipped).
    pub async fn ends_within(&mut self, wait: Duration) -> bool {
        crate::ends_within(&mut self.body, wait).await
    }

    /// Whether the stream has ended (the server closed it, or its connection broke).
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// The next notification event, or `None` if none comes within `wait` or the stream ends.
    pub async fn next(&mut self, wait: Duration) -> Option<(i64, Value)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.trim().to_string())
                };
                if let (Some(id), Some(data)) = (field("id:"), field("data:")) {
                    return Some((id.parse().unwrap(), serde_json::from_str(&data).unwrap()));
                }
                continue;
            }
            if self.ended {
                return None;
            }
            match tokio::time::timeout_at(deadline, self.body.chunk()).await {
                Ok(Ok(Some(chunk))) => self.buffer.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(_) => self.ended = true,
                Err(_) => return None,
            }
        }
    }
}
