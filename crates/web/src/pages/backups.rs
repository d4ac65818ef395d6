//! The desk's backups (admins): whether they are made, the last success and failure (and
//! why), the archives kept, a backup made now, and how to restore one.

use askama::Template;
use fixdesk_usecases::domain::backup::BackupRecord;
use poem::{
    Request, Response, handler,
    web::{Data, Form},
};

use crate::{
    Service, WebError,
    clock::When,
    i18n::Texts,
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    session::Session,
};

/// A size as people read it, in their language's units.
pub fn size_label(t: &Texts, bytes: u64) -> String {
    const KIB: u64 = 1024;
    if bytes >= KIB * KIB {
        format!(
            "{} {}",
            crate::view::decimal(t, bytes as f64 / (KIB * KIB) as f64),
            t.unit_mib
        )
    } else {
        format!("{} {}", bytes.div_ceil(KIB), t.unit_kib)
    }
}

#[derive(Debug)]
pub struct AttemptRow {
    pub at: When,
    pub file: String,
    pub size: String,
    pub error: String,
}

fn attempt(l: &Layout, r: BackupRecord) -> AttemptRow {
    AttemptRow {
        at: l.clock.when(&r.finished_at.unwrap_or(r.started_at)),
        file: r.file.unwrap_or_default(),
        size: r
            .size
            .and_then(|s| u64::try_from(s).ok())
            .map(|s| size_label(l.t, s))
            .unwrap_or_default(),
        error: r.error.unwrap_or_default(),
    }
}

#[derive(Debug)]
pub struct FileRow {
    pub name: String,
    pub size: String,
    pub at: Option<When>,
}

#[derive(Template)]
#[template(path = "backups.html")]
struct BackupsPage {
    l: Layout,
    scheduled: bool,
    dir: String,
    every_hours: u64,
    keep: u64,
    failing: bool,
    running: bool,
    success: Option<AttemptRow>,
    failure: Option<AttemptRow>,
    files: Vec<FileRow>,
}

#[handler]
pub async fn show(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
) -> Result<Response, WebError> {
    session.require_admin()?;
    let status = service.backups().status(&session.actor).await?;
    let l = Layout::new(req, &session, service).await;
    page(&BackupsPage {
        failing: status.failing(),
        running: status.running.is_some(),
        scheduled: status.scheduled,
        dir: status.dir.unwrap_or_default(),
        every_hours: status.every_hours,
        keep: status.keep,
        success: status.last_success.map(|r| attempt(&l, r)),
        failure: status.last_failure.map(|r| attempt(&l, r)),
        files: status
            .files
            .into_iter()
            .map(|f| FileRow {
                size: size_label(l.t, f.size),
                at: f.modified.map(|m| l.clock.when(&m)),
                name: f.name,
            })
            .collect(),
        l,
    })
}

#[handler]
pub async fn start(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session
        .act_on_page(
            req,
            &form.csrf,
            "/ui/backups",
            session.lang.texts().backup_queued,
            service.backups().start(&session.actor),
        )
        .await
}
