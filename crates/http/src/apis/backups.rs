//! `/backups`: the desk's own backups (admins) — where they stand, and one made now.

use poem::web::Data;
use poem_openapi::{OpenApi, payload::Json};

use super::{Tag, exports::Accepted};
use crate::{Service, dto::backups::BackupStatusOut, error::ApiResult, extract::AdminOnly};

#[derive(Debug)]
pub struct BackupsApi;

#[OpenApi(tag = "Tag::Backups")]
impl BackupsApi {
    /// The schedule (`backup_dir`, `backup_every_hours`, `backup_keep`), the last success and
    /// failure, and the archives in the directory.
    #[oai(path = "/backups", method = "get")]
    async fn status(
        &self,
        service: Data<&Service>,
        auth: AdminOnly,
    ) -> ApiResult<Json<BackupStatusOut>> {
        Ok(Json(service.backups().status(&auth.0).await?.into()))
    }

    /// Make a backup now into `backup_dir` (422 when none is set, 409 while one is queued or
    /// running); `GET /backups` shows it running, then as the last success or failure.
    #[oai(path = "/backups", method = "post")]
    async fn start(&self, service: Data<&Service>, auth: AdminOnly) -> ApiResult<Accepted> {
        let job = service.backups().start(&auth.0).await?;
        Ok(Accepted::Job(Json(job.into())))
    }
}
