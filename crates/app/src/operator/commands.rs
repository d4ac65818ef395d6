//! What `fixdesk-migrate` is asked: its commands and their arguments, as clap parses them.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "fixdesk-migrate",
    version,
    about = "fixdesk database migrations and operator tasks"
)]
pub struct Args {
    /// Database URL (default: from fixdesk.toml / the environment, like the server).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply all pending migrations.
    Up,
    /// Roll back the last `n` migrations.
    Down {
        #[arg(short, default_value_t = 1)]
        n: u32,
    },
    /// Show which migrations are applied.
    Status,
    /// Drop every table and apply all migrations again (destroys all data).
    Fresh {
        /// Required, so that nobody wipes a database by accident.
        #[arg(long)]
        yes: bool,
    },
    /// Create an admin account.
    CreateAdmin {
        #[arg(long)]
        username: String,
        /// Read from FIXDESK_NEW_PASSWORD when not given, so it stays out of shell history.
        #[arg(long, env = "FIXDESK_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Statistics counters: `verify` recounts and reports differences, `rebuild` repairs.
    Stats {
        #[command(subcommand)]
        action: StatsAction,
    },
    /// The full-text index: `rebuild` fills it anew from tickets, messages and equipment.
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
    /// Deliver one e-mail message, read on standard input (an MTA's pipe, a fetchmail or
    /// getmail rule): a ticket from its sender, or a message on the ticket it answers. Exits
    /// 67 when the sender has no account and 77 when the desk refuses it otherwise (the MTA
    /// then tells the sender), 65 when it is too large to read, 75 when it could not be
    /// stored now (the MTA tries again later); 0 otherwise — handled, a duplicate, ignored
    /// (written by a machine) or kept for an admin.
    Mailgate,
    /// Attachments' files: `move --to database|local` moves every file into that store (then
    /// set `file_storage` to match). Safe to run again after an interruption.
    Files {
        #[command(subcommand)]
        action: FilesAction,
    },
    /// The audit log: `verify` checks the hash chain for edited or deleted rows.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Import a database of the old ticket-system into this (empty) one, in one transaction.
    ImportLegacy {
        /// The old database: an SQLite file (usually ticket_system.db) or a URL.
        #[arg(long)]
        from: String,
        /// Write nothing; print what would be imported and repaired.
        #[arg(long)]
        dry_run: bool,
        /// The old service's uploads directory, to bring attachment files along.
        #[arg(long)]
        uploads: Option<std::path::PathBuf>,
        /// Also write every repair as CSV (table,id,problem,action) to this file.
        #[arg(long)]
        report: Option<std::path::PathBuf>,
    },
    /// The job queue: `list` the newest jobs, `retry` a dead one.
    Jobs {
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Back the desk up while it serves: one file with a consistent snapshot of the database
    /// (SQLite's `VACUUM INTO`, or `pg_dump` on PostgreSQL) and every file in `data_dir`, with
    /// a manifest of checksums. `--to` a file, or a directory for a dated name.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into an empty database and `data_dir` (`--force`: replace what is
    /// there), checking every entry's checksum first and the audit chain and counters after.
    /// `--check` only checks the file. Exit 1 if a check after restoring finds a problem.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        check: bool,
    },
    /// Set a user's password, re-activate them and end their sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long, env = "FIXDESK_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StatsAction {
    /// Recount every figure from the tickets; exit 1 if any counter differs.
    Verify,
    /// Replace every counter with a recount.
    Rebuild,
}

#[derive(Debug, Subcommand)]
pub enum SearchAction {
    /// Empty the index and fill it from the tables (after a restore, or to be sure).
    Rebuild,
}

#[derive(Debug, Subcommand)]
pub enum FilesAction {
    /// Copy each attachment's file into the store named, then remove it from the other.
    Move {
        /// `database` or `local`.
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Recompute every row's hash; exit 1 if any row was edited or deleted.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// The newest jobs (optionally only `queued`, `running`, `done` or `dead` ones).
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Put a dead job back in the queue with fresh attempts.
    Retry { id: i64 },
    /// Remove finished jobs (exports with their files) older than `--days` (default: the
    /// configured `job_history_days`), as the hourly housekeeping does.
    Prune {
        #[arg(long)]
        days: Option<u64>,
    },
}
