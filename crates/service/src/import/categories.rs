//! Categories.

use std::collections::HashSet;

use fixdesk_db::ConnectionTrait;
use fixdesk_repository::{
    import,
    import::rows,
    legacy::{self, columns},
};
use fixdesk_usecases::ServiceError;

use super::{repair, run::Run};

pub(super) async fn import<C: ConnectionTrait>(
    run: &mut Run<'_, C>,
) -> Result<HashSet<i64>, ServiceError> {
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    run.each_batch(
        "ticket_categories",
        columns::CATEGORIES,
        |run, batch: Vec<legacy::Category>| {
            let mut out = Vec::new();
            for c in batch {
                let fallback = format!("Категория {}", c.id);
                let mut name = run.note(
                    "ticket_categories",
                    c.id,
                    repair::text("name", c.name.as_deref(), 100, Some(&fallback)),
                );
                if !names.insert(name.clone()) {
                    let renamed = format!("{name} ({})", c.id);
                    run.repair(
                        "ticket_categories",
                        c.id,
                        format!("name '{name}' is taken"),
                        format!("renamed to '{renamed}'"),
                    );
                    name = renamed;
                    names.insert(name.clone());
                }
                ids.insert(c.id);
                out.push(rows::Category {
                    id: c.id,
                    name,
                    description: run.note(
                        "ticket_categories",
                        c.id,
                        repair::optional_text("description", c.description.as_deref(), 1000),
                    ),
                    is_active: c.is_active.unwrap_or(true),
                    created_at: run.note(
                        "ticket_categories",
                        c.id,
                        repair::timestamp("created_at", c.created_at.as_deref(), run.now),
                    ),
                    updated_at: repair::parse_timestamp(c.updated_at.as_deref()),
                });
            }
            let n = out.len() as u64;
            Box::pin(async move {
                import::categories(run.conn, out).await?;
                Ok(n)
            })
        },
    )
    .await?;
    Ok(ids)
}
