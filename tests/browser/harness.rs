//! Driving Debian's headless Chromium through chromedriver (WebDriver), against the real
//! server on 127.0.0.1. Each browser is a fresh profile, so each has its own cookies.

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use serde_json::{Value, json};
use tokio::sync::{Mutex, MutexGuard};

/// Chromium is heavy on a small machine: browser tests take turns.
static TURN: Mutex<()> = Mutex::const_new(());

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process; browsers opened through it close with it.
pub struct Driver {
    child: Child,
    url: String,
    _turn: MutexGuard<'static, ()>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Driver {
    pub async fn start() -> Self {
        Self::start_in_zone(None).await
    }

    /// A driver whose browsers live in time zone `zone` (their `Intl` reports it).
    pub async fn start_in_zone(zone: Option<&str>) -> Self {
        let turn = TURN.lock().await;
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists(),
            "browser tests need Debian's chromium and chromium-driver: \
             apt-get install chromium chromium-driver (scripts/test.sh does it)"
        );
        let port = free_port();
        let mut command = Command::new(CHROMEDRIVER);
        if let Some(zone) = zone {
            command.env("TZ", zone);
        }
        let child = command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            child,
            url,
            _turn: turn,
        }
    }

    /// A new desktop browser window (1366×768) with its own profile, preferring `lang`.
    pub async fn browser(&self, base: &str, lang: &str) -> Browser {
        self.browser_sized(base, lang, Screen::Desktop).await
    }

    /// A new browser window of `screen`'s size; a phone is emulated (390×844, touch), since a
    /// headless window cannot be narrower than 500 pixels.
    pub async fn browser_sized(&self, base: &str, lang: &str, screen: Screen) -> Browser {
        self.browser_with(base, lang, screen, false).await
    }

    /// The same in the dark colour scheme.
    pub async fn dark_browser(&self, base: &str, lang: &str, screen: Screen) -> Browser {
        self.browser_with(base, lang, screen, true).await
    }

    async fn browser_with(&self, base: &str, lang: &str, screen: Screen, dark: bool) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let (width, height) = screen.size();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--window-size={width},{height}"),
            format!("--lang={lang}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if dark {
            args.push("--force-dark-mode".into());
            args.push("--blink-settings=preferredColorScheme=0".into());
        }
        let mut options = json!({
            "binary": CHROMIUM,
            "args": args,
            "prefs": { "intl.accept_languages": lang },
        });
        if screen == Screen::Phone {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true },
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        // chromedriver speaks plain HTTP on loopback: no TLS stack needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a browser session");
        // A page that does not load within the patience of a test is a stalled tab, not a slow
        // one: fail there rather than after the driver's minute.
        client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                None,
                Some(PATIENCE),
                None,
            ))
            .await
            .expect("timeouts set");
        Browser {
            client,
            base: base.to_string(),
            _profile: profile,
        }
    }
}

/// The two screens every page is tried on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Desktop,
    Phone,
}

impl Screen {
    pub fn size(self) -> (u32, u32) {
        match self {
            Screen::Desktop => (1366, 768),
            Screen::Phone => (390, 844),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Screen::Desktop => "desktop",
            Screen::Phone => "phone",
        }
    }
}

/// axe-core, fetched from the npm registry by `scripts/test.sh` (or named by `FIXDESK_AXE`).
fn axe_source() -> String {
    let path = std::env::var_os("FIXDESK_AXE").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/axe/package/axe.min.js"),
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the accessibility checks need axe-core at {} ({e}): scripts/test.sh fetches it \
             (npm pack axe-core@4.14.1)",
            path.display()
        )
    })
}

pub struct Browser {
    pub client: Client,
    base: String,
    _profile: tempfile::TempDir,
}

/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(15);

impl Browser {
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigation");
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("typing");
    }

    pub async fn choose(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choosing {value} in {css}: {e}"));
    }

    /// Whether the page now holds an element `css` names (no waiting).
    pub async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_string()
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("script runs")
    }

    /// Waits until `css` shows `needle` (the page may change by itself, or after a reload).
    pub async fn wait_for_text(&self, css: &str, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let shown = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if shown.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never showed {needle:?}; it shows {shown:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn sign_in(&self, username: &str, password: &str) {
        self.open("/ui/login").await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click("form[action='/ui/login'] button[type=submit]")
            .await;
        self.find("#logout").await;
    }

    /// The open page's serious and critical accessibility violations, as axe-core finds them
    /// (rule, then the first offending element), for an assertion to print.
    pub async fn accessibility_problems(&self) -> Vec<String> {
        // Injected through WebDriver, which the page's Content-Security-Policy does not
        // govern: the only script the policy lets past, and only here.
        self.client
            .execute(&axe_source(), vec![])
            .await
            .expect("axe-core loads");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => v.id + ': ' + v.help + ' — ' + (v.nodes[0] ? v.nodes[0].html : ''))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("axe runs");
        serde_json::from_value(found).unwrap_or_default()
    }

    /// The page's width beyond the window's (0 when nothing scrolls sideways).
    pub async fn overflow(&self) -> i64 {
        self.js("return document.documentElement.scrollWidth - window.innerWidth")
            .await
            .as_i64()
            .unwrap_or(i64::MAX)
    }

    /// The innermost element that reaches past the window's right edge, as `tag#id.class`
    /// (what to look at when [`Browser::overflow`] is not 0).
    pub async fn widest(&self) -> String {
        self.js(
            "var w = window.innerWidth, found = '';
             document.querySelectorAll('body *').forEach(function (e) {
               if (e.getBoundingClientRect().right > w + 0.5) {
                 found = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                   (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '');
               }
             });
             return found;",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Saves a screenshot for the README when `FIXDESK_SCREENSHOTS` names a directory.
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("FIXDESK_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("screenshot written");
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
