//! `fixdesk-migrate`, the operator's command: schema migrations and the tasks of running a
//! desk (admins, counters, the audit chain, search, mail in, files, jobs, backups, the legacy
//! import), with the server's configuration. The binary only calls [`main`]; the exit codes an
//! MTA or a script acts on are decided here.

mod commands;

use std::process::ExitCode;

use clap::Parser;
use fixdesk_migration::{Migrator, MigratorTrait};
use fixdesk_service::{FileStorage, Fixdesk, PoolSettings, domain::mail::MailOutcome};

use crate::Settings;
use commands::{Args, AuditAction, Command, FilesAction, JobsAction, SearchAction, StatsAction};

/// Parses the command line, runs the command, and says how it went as an exit code.
pub async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fixdesk-migrate: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut settings = Settings::load()?;
    if let Some(u) = args.database_url {
        settings.database_url = u;
    }
    match args.command {
        Command::Up | Command::Down { .. } | Command::Status | Command::Fresh { .. } => {
            let db =
                fixdesk_service::connect_database(&settings.database_url, &PoolSettings::default())
                    .await?;
            // Which database this is, before anything happens to it (an old-style
            // `sqlite:///x.db` is relative to the working directory).
            println!("database: {}", db.location());
            let conn = db.writer();
            match args.command {
                Command::Up => fixdesk_migration::up_exclusively(conn).await?,
                Command::Down { n } => Migrator::down(conn, Some(n)).await?,
                Command::Status => {
                    for m in Migrator::get_migration_with_status(conn).await? {
                        println!(
                            "{:<8} {}",
                            format!("{:?}", m.status()).to_lowercase(),
                            m.name()
                        );
                    }
                }
                Command::Fresh { yes: true } => Migrator::fresh(conn).await?,
                Command::Fresh { yes: false } => {
                    return Err("`fresh` destroys all data; pass --yes to confirm".into());
                }
                _ => {}
            }
            db.close().await;
            println!("done");
        }
        Command::Backup { to } => {
            let service = Fixdesk::open(settings.service()).await?;
            let report = service.operator().backup(&to).await?;
            println!(
                "backup written: {} ({} bytes; the database and {} files{})",
                report.file.display(),
                report.size,
                report.files,
                if report.missing > 0 {
                    format!(", {} removed while copying", report.missing)
                } else {
                    String::new()
                }
            );
        }
        Command::Restore {
            from, check: true, ..
        } => {
            let (made, files) = fixdesk_service::check_backup(&from).await?;
            println!(
                "{}: whole and intact (made {made}, {files} files)",
                from.display()
            );
        }
        Command::Restore { from, force, .. } => {
            let report = fixdesk_service::restore(&settings.service(), &from, force).await?;
            println!(
                "restored the backup of {} (fixdesk {}): {} files",
                report.created_at, report.made_by, report.files
            );
            for (table, rows) in &report.counts {
                println!("  {table}: {rows}");
            }
            println!(
                "audit chain: {}; statistics: {}",
                if report.audit_problems == 0 {
                    "intact".into()
                } else {
                    format!("{} problems", report.audit_problems)
                },
                if report.counter_differences == 0 {
                    "every counter matches".into()
                } else {
                    format!(
                        "{} counters differ (run `stats rebuild`)",
                        report.counter_differences
                    )
                },
            );
            if report.audit_problems > 0 || report.counter_differences > 0 {
                return Err("the restored desk did not pass its checks".into());
            }
        }
        Command::CreateAdmin { username, password } => {
            let service = Fixdesk::open(settings.service()).await?;
            let user = service
                .operator()
                .create_admin(&username, &password)
                .await?;
            println!("created admin `{}` (id {})", user.username, user.id);
        }
        Command::Stats { action } => {
            let service = Fixdesk::open(settings.service()).await?;
            match action {
                StatsAction::Verify => {
                    let differences = service.operator().verify_statistics().await?;
                    for d in &differences {
                        println!(
                            "{}: stored {:?}, recounted {:?}",
                            d.counter, d.stored, d.expected
                        );
                    }
                    if !differences.is_empty() {
                        return Err(format!(
                            "{} statistics counters differ from a recount; run `stats rebuild`",
                            differences.len()
                        )
                        .into());
                    }
                    println!("statistics: every counter matches a recount");
                }
                StatsAction::Rebuild => {
                    let rows = service.operator().rebuild_statistics().await?;
                    println!("statistics rebuilt ({rows} counter rows)");
                }
            }
        }
        Command::Mailgate => {
            use std::io::Read as _;
            let limit = fixdesk_service::MAX_MESSAGE_BYTES;
            let mut raw = Vec::new();
            std::io::stdin()
                .take(u64::try_from(2 * limit).unwrap_or(u64::MAX))
                .read_to_end(&mut raw)?;
            if raw.len() >= 2 * limit {
                eprintln!("fixdesk-migrate mailgate: the message is larger than {limit} bytes");
                return Ok(ExitCode::from(65));
            }
            // Nothing is recorded of a message whose handling failed: the mail host is told to
            // try again later (EX_TEMPFAIL), and its next delivery is handled afresh.
            let delivered = match Fixdesk::open(settings.service()).await {
                Ok(service) => service.operator().deliver_mail(&raw).await,
                Err(e) => Err(e),
            };
            let outcome = match delivered {
                Ok(outcome) => outcome,
                Err(e) => {
                    eprintln!("fixdesk-migrate mailgate: not delivered, try again later: {e}");
                    return Ok(ExitCode::from(75));
                }
            };
            println!("{outcome}");
            match outcome {
                MailOutcome::UnknownSender(_) => return Ok(ExitCode::from(67)),
                MailOutcome::Refused(_) => return Ok(ExitCode::from(77)),
                _ => {}
            }
        }
        Command::Search {
            action: SearchAction::Rebuild,
        } => {
            let service = Fixdesk::open(settings.service()).await?;
            let documents = service.operator().rebuild_search().await?;
            println!("search index rebuilt ({documents} documents)");
        }
        Command::Files {
            action: FilesAction::Move { to },
        } => {
            let to = FileStorage::parse(&to).ok_or("--to must be database or local")?;
            let service = Fixdesk::open(settings.service()).await?;
            let report = service
                .operator()
                .move_files(to, std::path::Path::new(&settings.data_dir))
                .await?;
            println!(
                "files moved: {}, missing in both stores: {}",
                report.moved, report.missing
            );
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let service = Fixdesk::open(settings.service()).await?;
            let problems = service.operator().verify_audit().await?;
            for p in &problems {
                println!("{p:?}");
            }
            if !problems.is_empty() {
                return Err(
                    format!("the audit chain is broken in {} place(s)", problems.len()).into(),
                );
            }
            println!("audit: every row checks out");
        }
        Command::ImportLegacy {
            from,
            dry_run,
            uploads,
            report,
        } => {
            let service = Fixdesk::open(settings.service()).await?;
            let options = fixdesk_service::ImportOptions {
                source: from,
                dry_run,
                uploads,
            };
            let mut last_print = std::time::Instant::now();
            let mut show = |p: fixdesk_service::Progress| {
                if p.done < p.total && last_print.elapsed().as_millis() < 500 {
                    return;
                }
                last_print = std::time::Instant::now();
                let rate = p.done as f64 / p.elapsed_secs.max(0.001);
                let left = (p.total.saturating_sub(p.done)) as f64 / rate.max(1.0);
                eprintln!(
                    "{:>17}: {:>9}/{:<9} {:>9.0} rows/s, ~{left:.0} s left",
                    p.table, p.done, p.total, rate
                );
            };
            let result = service
                .operator()
                .import_legacy(&options, &mut show)
                .await?;
            println!(
                "{} in {:.1} s",
                if result.dry_run {
                    "dry run (nothing written)"
                } else {
                    "imported"
                },
                result.seconds
            );
            for (table, read, written) in &result.tables {
                println!("  {table:<17} read {read:>8}  written {written:>8}");
            }
            println!("{} repairs:", result.repairs.len());
            for r in &result.repairs {
                println!("  {} #{}: {} -> {}", r.table, r.id, r.problem, r.action);
            }
            if let Some(path) = report {
                std::fs::write(&path, result.repairs_csv())?;
                println!("repair report written to {}", path.display());
            }
        }
        Command::Jobs { action } => {
            let mut service_settings = settings.service();
            service_settings.job_workers = 0;
            let service = Fixdesk::open(service_settings.clone()).await?;
            match action {
                JobsAction::List { state, limit } => {
                    let state = match state.as_deref() {
                        Some(s) => Some(
                            fixdesk_service::domain::JobState::parse(s)
                                .ok_or("state must be queued, running, done or dead")?,
                        ),
                        None => None,
                    };
                    for j in service.operator().jobs(state, limit).await? {
                        println!(
                            "#{} {} {} attempts {}/{} progress {}% {}",
                            j.id,
                            j.kind,
                            j.state.as_str(),
                            j.attempts,
                            j.max_attempts,
                            j.progress,
                            j.last_error.unwrap_or_default()
                        );
                    }
                }
                JobsAction::Prune { days } => {
                    // Without --days, the desk's own setting, whose 0 keeps jobs for ever.
                    let keep = match days {
                        Some(d) => std::time::Duration::from_secs(d.saturating_mul(86_400)),
                        None => match service_settings.job_history {
                            Some(keep) => keep,
                            None => {
                                println!("job_history_days is 0: finished jobs are kept for ever");
                                return Ok(ExitCode::SUCCESS);
                            }
                        },
                    };
                    let done = service.operator().prune_jobs(keep).await?;
                    println!(
                        "removed {} jobs finished more than {} day(s) ago ({} exports with their files)",
                        done.jobs,
                        keep.as_secs() / 86_400,
                        done.exports
                    );
                }
                JobsAction::Retry { id } => {
                    if service.operator().retry_job(id).await? {
                        println!("job #{id} queued again");
                    } else {
                        return Err(format!("job #{id} is not dead").into());
                    }
                }
            }
        }
        Command::ResetPassword { username, password } => {
            let service = Fixdesk::open(settings.service()).await?;
            let user = service
                .operator()
                .reset_password(&username, &password)
                .await?;
            println!(
                "password of `{}` reset; their sessions have ended",
                user.username
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
