//! A small SMTP server on 127.0.0.1 for the tests of mail out: it speaks enough of RFC 5321
//! for a real client (EHLO, MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP, QUIT), keeps every
//! message it accepts, refuses the addresses it is told to (550, a bounce), and can answer
//! "try again later" (451) for a while, the way a busy server does.

use std::{
    collections::HashSet,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    sync::Notify,
};

/// One accepted message.
#[derive(Debug, Clone)]
pub struct SunkMail {
    pub to: Vec<String>,
    /// The message as sent (headers and body, CRLF line ends, dot-stuffing undone).
    pub data: String,
}

#[derive(Debug, Default)]
struct State {
    mails: Vec<SunkMail>,
    refused: HashSet<String>,
    busy: bool,
    /// Every `RCPT TO` address, accepted or not.
    attempts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    arrived: Arc<Notify>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let sink = Self {
            addr: listener.local_addr().expect("sink address"),
            state: Arc::default(),
            arrived: Arc::default(),
        };
        let serving = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serving.clone().converse(stream));
            }
        });
        sink
    }

    /// `settings` made to mail through this sink as `desk@example.org`, with links to
    /// `https://desk.example.org`, sweeping every second.
    pub fn mailing(&self, mut settings: fixdesk_app::Settings) -> fixdesk_app::Settings {
        settings.mail_smtp_url = Some(self.url());
        settings.mail_from = Some("fixdesk <desk@example.org>".into());
        settings.public_url = "https://desk.example.org".into();
        settings.mail_sweep_secs = 1;
        settings
    }

    /// The URL a desk sends through this sink with.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Refuses mail to `address` for good from now on.
    pub fn refuse(&self, address: &str) {
        self.lock().refused.insert(address.to_lowercase());
    }

    /// While busy, every recipient gets "451 try again later".
    pub fn set_busy(&self, busy: bool) {
        self.lock().busy = busy;
    }

    pub fn mails(&self) -> Vec<SunkMail> {
        self.lock().mails.clone()
    }

    /// How often a recipient was named, accepted or not.
    pub fn attempts_for(&self, address: &str) -> usize {
        let address = address.to_lowercase();
        self.lock()
            .attempts
            .iter()
            .filter(|a| **a == address)
            .count()
    }

    /// Waits (up to 20 s) until at least `n` mails have arrived, and returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<SunkMail> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let arrived = self.arrived.notified();
            let mails = self.mails();
            if mails.len() >= n {
                return mails;
            }
            assert!(
                tokio::time::timeout_at(deadline, arrived).await.is_ok(),
                "{} mails arrived, {n} expected: {mails:#?}",
                mails.len()
            );
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn converse(self, stream: TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        let mut to = Vec::new();
        if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
            return;
        }
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_string();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            let reply: String = match verb.as_str() {
                "EHLO" | "HELO" => "250 sink\r\n".into(),
                "MAIL" => {
                    to.clear();
                    "250 2.1.0 ok\r\n".into()
                }
                "RCPT" => {
                    let address = command
                        .split_once('<')
                        .and_then(|(_, rest)| rest.split_once('>'))
                        .map(|(a, _)| a.to_lowercase())
                        .unwrap_or_default();
                    let mut state = self.lock();
                    state.attempts.push(address.clone());
                    if state.busy {
                        "451 4.3.2 try again later\r\n".into()
                    } else if state.refused.contains(&address) {
                        format!("550 5.1.1 <{address}>: no such mailbox\r\n")
                    } else {
                        to.push(address);
                        "250 2.1.5 ok\r\n".into()
                    }
                }
                "DATA" => {
                    if write.write_all(b"354 go ahead\r\n").await.is_err() {
                        return;
                    }
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if line == ".\r\n" {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    self.lock().mails.push(SunkMail {
                        to: std::mem::take(&mut to),
                        data,
                    });
                    self.arrived.notify_waiters();
                    "250 2.0.0 queued\r\n".into()
                }
                "RSET" => {
                    to.clear();
                    "250 2.0.0 ok\r\n".into()
                }
                "NOOP" => "250 2.0.0 ok\r\n".into(),
                "QUIT" => {
                    let _ = write.write_all(b"221 2.0.0 bye\r\n").await;
                    return;
                }
                _ => "502 5.5.2 not understood\r\n".into(),
            };
            if write.write_all(reply.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}
