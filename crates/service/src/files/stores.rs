//! Which file stores a service uses: the local directory or the database, as configured.

use std::{path::Path, sync::Arc, time::Duration};

use fixdesk_db::{Backend, Database};

use crate::{
    FileStorage,
    files::database::DatabaseFiles,
    files::{FileStore, LocalDisk},
};

/// The attachment and export stores of a running service, as `storage` names them (`None`: by
/// the database's kind). The database store also reads files it does not hold from `data_dir`,
/// so a desk that moves to the database loses no download before `files move` has run.
pub(crate) fn stores(
    db: &Database,
    storage: Option<FileStorage>,
    data_dir: &Path,
    longest_upload: Duration,
) -> (Arc<dyn FileStore>, Arc<dyn FileStore>) {
    let storage = storage.unwrap_or(match db.backend() {
        Backend::Postgres => FileStorage::Database,
        Backend::Sqlite => FileStorage::Local,
    });
    let local = |dir: &str| LocalDisk::new(data_dir.join(dir));
    match storage {
        FileStorage::Local => (Arc::new(local("attachments")), Arc::new(local("exports"))),
        FileStorage::Database => (
            Arc::new(
                DatabaseFiles::new(db.clone(), "", longest_upload)
                    .falling_back_to(local("attachments")),
            ),
            Arc::new(
                DatabaseFiles::new(db.clone(), "exports/", longest_upload)
                    .falling_back_to(local("exports")),
            ),
        ),
    }
}

/// The attachment store `storage` names and nothing else, for moving files between stores.
pub(crate) fn attachment_store(
    db: &Database,
    storage: FileStorage,
    data_dir: &Path,
    longest_upload: Duration,
) -> Arc<dyn FileStore> {
    match storage {
        FileStorage::Local => Arc::new(LocalDisk::new(data_dir.join("attachments"))),
        FileStorage::Database => Arc::new(DatabaseFiles::new(db.clone(), "", longest_upload)),
    }
}
