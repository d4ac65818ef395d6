//! Database URLs as people write them. The old service used SQLAlchemy's forms
//! (`sqlite:///./ticket_system.db`, `postgresql+asyncpg://…`), which mean something else to
//! sqlx, so every accepted spelling is normalised here, once.

use std::path::PathBuf;

use crate::DbError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    SqliteFile(PathBuf),
    SqliteMemory,
    Postgres(String),
}

impl DbUrl {
    pub fn parse(raw: &str) -> Result<Self, DbError> {
        let raw = raw.trim();
        let (scheme, rest) = match raw.split_once(':') {
            Some((s, r)) if !s.contains('/') && !s.is_empty() => (s.to_ascii_lowercase(), r),
            _ => return Self::sqlite_path(raw, raw),
        };
        // `postgresql+asyncpg`, `sqlite+aiosqlite`: the driver suffix is SQLAlchemy's business.
        let base = scheme.split('+').next().unwrap_or_default();
        match base {
            "postgres" | "postgresql" => Ok(DbUrl::Postgres(format!("postgres:{rest}"))),
            "sqlite" => {
                let body = rest.split('?').next().unwrap_or_default();
                if body == ":memory:" || body == "//:memory:" {
                    return Ok(DbUrl::SqliteMemory);
                }
                // SQLAlchemy: `sqlite:///rel` is relative and `sqlite:////abs` absolute;
                // sqlx: `sqlite://rel` is relative. Three or four slashes mean SQLAlchemy.
                let path = if let Some(p) = body.strip_prefix("///") {
                    p
                } else if let Some(p) = body.strip_prefix("//") {
                    p
                } else {
                    body
                };
                Self::sqlite_path(path, raw)
            }
            _ => Err(DbError::InvalidUrl(format!(
                "unsupported scheme `{scheme}` (use sqlite:// or postgres://)"
            ))),
        }
    }

    /// Where the data is, for people: the absolute path of an SQLite file (an old-style
    /// `sqlite:///x.db` is relative to the working directory, which is easy to get wrong), or
    /// the host and database of PostgreSQL — never a password.
    pub fn location(&self) -> String {
        match self {
            DbUrl::SqliteFile(path) => {
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                format!("SQLite file {}", absolute.display())
            }
            DbUrl::SqliteMemory => "SQLite in memory (nothing is kept)".into(),
            DbUrl::Postgres(url) => {
                let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
                let rest = rest.split('?').next().unwrap_or_default();
                let (credentials, place) = rest.rsplit_once('@').unwrap_or(("", rest));
                let user = credentials.split(':').next().unwrap_or_default();
                let (host, database) = place.split_once('/').unwrap_or((place, ""));
                let as_user = if user.is_empty() {
                    String::new()
                } else {
                    format!(" as {user}")
                };
                format!("PostgreSQL database `{database}` on {host}{as_user}")
            }
        }
    }

    fn sqlite_path(path: &str, raw: &str) -> Result<Self, DbError> {
        if path.is_empty() {
            return Err(DbError::InvalidUrl(format!("no file in `{raw}`")));
        }
        Ok(DbUrl::SqliteFile(PathBuf::from(path)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_say_where_the_data_is_and_never_a_password() {
        let pg =
            DbUrl::parse("postgresql+asyncpg://desk:s3cret@db.school:5432/fixdesk?sslmode=require");
        let pg = pg.map(|u| u.location()).unwrap_or_default();
        assert_eq!(
            pg,
            "PostgreSQL database `fixdesk` on db.school:5432 as desk"
        );
        assert!(!pg.contains("s3cret"));
        let relative = DbUrl::parse("sqlite:///data/x.db")
            .map(|u| u.location())
            .unwrap_or_default();
        let cwd = std::env::current_dir()
            .map(|d| d.join("data/x.db"))
            .unwrap_or_default();
        assert_eq!(relative, format!("SQLite file {}", cwd.display()));
    }

    fn file(p: &str) -> DbUrl {
        DbUrl::SqliteFile(PathBuf::from(p))
    }

    #[test]
    fn understands_sqlalchemy_and_sqlx_spellings() {
        assert_eq!(
            DbUrl::parse("sqlite:///./ticket_system.db").ok(),
            Some(file("./ticket_system.db"))
        );
        assert_eq!(
            DbUrl::parse("sqlite:////var/lib/x.db").ok(),
            Some(file("/var/lib/x.db"))
        );
        assert_eq!(
            DbUrl::parse("sqlite+aiosqlite:///./a.db").ok(),
            Some(file("./a.db"))
        );
        assert_eq!(
            DbUrl::parse("sqlite://fixdesk.db?mode=rwc").ok(),
            Some(file("fixdesk.db"))
        );
        assert_eq!(
            DbUrl::parse("sqlite:data/x.db").ok(),
            Some(file("data/x.db"))
        );
        assert_eq!(DbUrl::parse("fixdesk.db").ok(), Some(file("fixdesk.db")));
        assert_eq!(DbUrl::parse("/tmp/x.db").ok(), Some(file("/tmp/x.db")));
    }

    #[test]
    fn three_slashes_mean_a_relative_path_as_in_sqlalchemy() {
        // The old service's DATABASE_URL form; an absolute path needs four slashes (or no
        // scheme at all).
        assert_eq!(
            DbUrl::parse("sqlite:///tmp/x.db").ok(),
            Some(file("tmp/x.db"))
        );
        assert_eq!(
            DbUrl::parse("sqlite:////tmp/x.db").ok(),
            Some(file("/tmp/x.db"))
        );
    }

    #[test]
    fn understands_memory_and_postgres() {
        assert_eq!(
            DbUrl::parse("sqlite::memory:").ok(),
            Some(DbUrl::SqliteMemory)
        );
        assert_eq!(
            DbUrl::parse("sqlite://:memory:").ok(),
            Some(DbUrl::SqliteMemory)
        );
        assert_eq!(
            DbUrl::parse("postgresql+asyncpg://u:p@localhost:5432/db").ok(),
            Some(DbUrl::Postgres("postgres://u:p@localhost:5432/db".into()))
        );
        assert_eq!(
            DbUrl::parse("postgres://u@h/db").ok(),
            Some(DbUrl::Postgres("postgres://u@h/db".into()))
        );
    }

    #[test]
    fn rejects_unknown_schemes_and_empty_paths() {
        assert!(DbUrl::parse("mysql://x/y").is_err());
        assert!(DbUrl::parse("sqlite://").is_err());
    }
}
