//! Full-text search over the index the database's triggers keep (migration 25): ranked hits
//! across tickets and equipment, one per ticket or item, with highlighted snippets; the ticket
//! lists' `search=`; and the rebuild from the tables.
//!
//! Who may find what is decided here, in the query: a requester finds only their own visible
//! tickets and never by an internal note; staff find everything. Equipment is everyone's.

use std::collections::HashMap;

use fixdesk_domain::{
    HitSubject, MatchedIn, SearchHit, SearchQuery, SearchScope, SearchTerms, Snippet, TicketStatus,
    UserId,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
    sea_query::{Expr, SimpleExpr},
};

use crate::{
    RepoError,
    entities::{equipment, ticket},
};

/// A document of the index that matched: its id, kind and ticket.
#[derive(Debug, Clone)]
struct Doc {
    id: i64,
    kind: String,
    ticket_id: Option<i64>,
}

/// One page of hits for `query`, best first. `requester` is the user a requester's search is
/// limited to (`None`: staff).
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    query: &SearchQuery,
    requester: Option<UserId>,
) -> Result<Vec<SearchHit>, RepoError> {
    let backend = conn.get_database_backend();
    let mut hits = Vec::new();
    let tickets_too = query.scope != SearchScope::Equipment;
    if let Some(n) = query
        .terms
        .number
        .filter(|_| tickets_too && query.page.offset == 0)
    {
        let by_number = ticket::Column::Id.eq(n);
        hits.extend(exact_tickets(conn, by_number, MatchedIn::Number, requester, 1).await?);
    }
    let Some(text) = (match backend {
        DbBackend::Postgres => query.terms.tsquery(),
        _ => query.terms.fts5(),
    }) else {
        // Nothing long enough for the index: a short room number, found exactly.
        if tickets_too {
            let room = ticket::Column::RoomNumber.eq(query.terms.exact.as_str());
            let limit = query.page.limit + query.page.offset;
            let found = exact_tickets(conn, room, MatchedIn::Room, requester, limit).await?;
            hits.extend(found.into_iter().skip(offset(query)));
        }
        return Ok(dedup(hits));
    };
    let docs = ranked(conn, backend, &text, query, requester).await?;
    let snippets = snippets(conn, backend, &text, &docs).await?;
    hits.extend(subjects(conn, &docs, snippets).await?);
    Ok(dedup(hits))
}

fn offset(query: &SearchQuery) -> usize {
    usize::try_from(query.page.offset).unwrap_or(usize::MAX)
}

/// Hits with a ticket found twice (by number and by text) kept once, the first time.
fn dedup(hits: Vec<SearchHit>) -> Vec<SearchHit> {
    let mut seen = std::collections::HashSet::new();
    hits.into_iter()
        .filter(|h| seen.insert(h.subject.key()))
        .collect()
}

/// Tickets matching `by` that the requester may see, newest first, as hits on their title.
async fn exact_tickets<C: ConnectionTrait>(
    conn: &C,
    by: SimpleExpr,
    matched_in: MatchedIn,
    requester: Option<UserId>,
    limit: u64,
) -> Result<Vec<SearchHit>, RepoError> {
    let mut select = ticket::Entity::find().filter(by);
    if let Some(me) = requester {
        select = select
            .filter(ticket::Column::CreatorId.eq(me.0))
            .filter(ticket::Column::IsHiddenForCreator.eq(false));
    }
    let rows = select
        .order_by_desc(ticket::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|t| {
            Ok(SearchHit {
                snippet: Snippet(vec![(t.title.clone(), false)]),
                matched_in,
                title: t.title,
                subject: HitSubject::Ticket {
                    id: t.id,
                    status: status(t.status)?,
                    room_number: t.room_number,
                },
            })
        })
        .collect()
}

fn status(rank: i16) -> Result<TicketStatus, RepoError> {
    TicketStatus::from_rank(rank).ok_or_else(|| RepoError::InvalidRow {
        table: "tickets",
        reason: format!("status {rank}"),
    })
}

/// Which kinds of document a searcher may match, and on which of their tickets (SQL over the
/// index `s` and its ticket `t`).
fn allowed(requester: Option<UserId>, scope: SearchScope, values: &mut Vec<Value>) -> String {
    let scope = match scope {
        SearchScope::All => "",
        SearchScope::Tickets => " AND s.kind <> 'e'",
        SearchScope::Equipment => " AND s.kind = 'e'",
    };
    match requester {
        None => format!("TRUE{scope}"),
        Some(me) => {
            values.push(me.0.into());
            format!(
                "(s.kind = 'e' OR (s.kind IN ('t', 'm') AND t.creator_id = {} \
                 AND t.is_hidden_for_creator = FALSE)){scope}",
                placeholder_mark()
            )
        }
    }
}

/// Written where a value goes; turned into the backend's placeholders by [`numbered`].
const fn placeholder_mark() -> &'static str {
    "\u{1}"
}

/// `sql` with each placeholder mark as `?` (SQLite) or `$1`, `$2` … (PostgreSQL).
fn numbered(backend: DbBackend, sql: &str) -> String {
    let mut n = 0;
    sql.split(placeholder_mark())
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                return part.to_owned();
            }
            n += 1;
            match backend {
                DbBackend::Postgres => format!("${n}{part}"),
                _ => format!("?{part}"),
            }
        })
        .collect()
}

/// The page's documents, best first, the best one per ticket or item.
async fn ranked<C: ConnectionTrait>(
    conn: &C,
    backend: DbBackend,
    text: &str,
    query: &SearchQuery,
    requester: Option<UserId>,
) -> Result<Vec<Doc>, RepoError> {
    let mark = placeholder_mark();
    let mut values: Vec<Value> = vec![text.into()];
    let allowed = allowed(requester, query.scope, &mut values);
    let inner = match backend {
        DbBackend::Postgres => format!(
            "SELECT s.doc_id AS doc, s.kind AS kind, s.ticket_id AS ticket_id, \
             ts_rank(s.tsv, q.q) AS score FROM search_index s \
             CROSS JOIN (SELECT to_tsquery('simple', {mark}) AS q) q \
             LEFT JOIN tickets t ON t.id = s.ticket_id WHERE s.tsv @@ q.q AND {allowed}"
        ),
        // bm25 is lower for better matches; negated, both backends sort "higher first".
        _ => format!(
            "SELECT s.rowid AS doc, s.kind AS kind, s.ticket_id AS ticket_id, \
             -bm25(search_index, 4.0, 1.0) AS score FROM search_index s \
             LEFT JOIN tickets t ON t.id = s.ticket_id \
             WHERE search_index MATCH {mark} AND {allowed}"
        ),
    };
    values.push(i64::try_from(query.page.limit).unwrap_or(i64::MAX).into());
    values.push(i64::try_from(query.page.offset).unwrap_or(i64::MAX).into());
    let sql = format!(
        "SELECT doc, kind, ticket_id FROM (SELECT doc, kind, ticket_id, score, \
         ROW_NUMBER() OVER (PARTITION BY COALESCE(ticket_id, -doc) \
         ORDER BY score DESC, doc DESC) AS rn FROM ({inner}) m) best \
         WHERE rn = 1 ORDER BY score DESC, doc DESC LIMIT {mark} OFFSET {mark}"
    );
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            numbered(backend, &sql),
            values,
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Doc {
                id: r.try_get_by_index(0)?,
                kind: r.try_get_by_index(1)?,
                ticket_id: r.try_get_by_index(2)?,
            })
        })
        .collect()
}

/// The highlighted stretch of each document that matched best.
async fn snippets<C: ConnectionTrait>(
    conn: &C,
    backend: DbBackend,
    text: &str,
    docs: &[Doc],
) -> Result<HashMap<i64, Snippet>, RepoError> {
    if docs.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = docs
        .iter()
        .map(|d| d.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let sql = match backend {
        DbBackend::Postgres => format!(
            "SELECT doc_id, ts_headline('simple', title || ' ' || body, \
             to_tsquery('simple', $1), \
             'StartSel=' || chr(2) || ', StopSel=' || chr(3) || \
             ', MaxWords=24, MinWords=10, ShortWord=1, MaxFragments=2, \
             FragmentDelimiter=\" … \"') FROM search_index WHERE doc_id IN ({ids})"
        ),
        _ => format!(
            "SELECT rowid, snippet(search_index, -1, char(2), char(3), '…', 16) \
             FROM search_index WHERE search_index MATCH ? AND rowid IN ({ids})"
        ),
    };
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [text.into()]))
        .await?;
    rows.iter()
        .map(|r| {
            let marked: String = r.try_get_by_index(1)?;
            Ok((r.try_get_by_index(0)?, Snippet::from_marked(&marked)))
        })
        .collect()
}

/// The tickets and items the documents belong to, as hits in the documents' order.
async fn subjects<C: ConnectionTrait>(
    conn: &C,
    docs: &[Doc],
    mut snippets: HashMap<i64, Snippet>,
) -> Result<Vec<SearchHit>, RepoError> {
    let ticket_ids: Vec<i64> = docs.iter().filter_map(|d| d.ticket_id).collect();
    let item_ids: Vec<i64> = docs
        .iter()
        .filter(|d| d.ticket_id.is_none())
        .map(|d| d.id / 4)
        .collect();
    let tickets: HashMap<i64, ticket::Model> = if ticket_ids.is_empty() {
        HashMap::new()
    } else {
        ticket::Entity::find()
            .filter(ticket::Column::Id.is_in(ticket_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect()
    };
    let items: HashMap<i64, equipment::Model> = if item_ids.is_empty() {
        HashMap::new()
    } else {
        equipment::Entity::find()
            .filter(equipment::Column::Id.is_in(item_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect()
    };
    let mut hits = Vec::with_capacity(docs.len());
    for doc in docs {
        let snippet = snippets.remove(&doc.id).unwrap_or_default();
        let matched_in = MatchedIn::of_kind(&doc.kind);
        let hit = match doc.ticket_id {
            Some(id) => tickets.get(&id).map(|t| -> Result<_, RepoError> {
                Ok(SearchHit {
                    subject: HitSubject::Ticket {
                        id,
                        status: status(t.status)?,
                        room_number: t.room_number.clone(),
                    },
                    title: t.title.clone(),
                    matched_in,
                    snippet,
                })
            }),
            None => items.get(&(doc.id / 4)).map(|e| {
                Ok(SearchHit {
                    subject: HitSubject::Equipment {
                        id: e.id,
                        location: e.location.clone(),
                        inventory_number: e.inventory_number.clone(),
                    },
                    title: e.name.clone(),
                    matched_in,
                    snippet,
                })
            }),
        };
        // A row deleted since the index was read is left out.
        if let Some(hit) = hit {
            hits.push(hit?);
        }
    }
    Ok(hits)
}

/// `tickets.id IN (tickets whose text, messages — and, with `notes`, internal notes — match)`,
/// for the lists' `search=`; `None` when the terms have nothing for the index.
pub(crate) fn matching_tickets(
    backend: DbBackend,
    terms: &SearchTerms,
    notes: bool,
) -> Option<SimpleExpr> {
    let kinds = if notes {
        "('t', 'm', 'n')"
    } else {
        "('t', 'm')"
    };
    let (sql, text) = match backend {
        DbBackend::Postgres => (
            format!(
                "tickets.id IN (SELECT ticket_id FROM search_index \
                 WHERE tsv @@ to_tsquery('simple', $1) AND kind IN {kinds})"
            ),
            terms.tsquery()?,
        ),
        _ => (
            format!(
                "tickets.id IN (SELECT ticket_id FROM search_index \
                 WHERE search_index MATCH ? AND kind IN {kinds})"
            ),
            terms.fts5()?,
        ),
    };
    Some(Expr::cust_with_values(sql, [text]))
}

/// Fills the index anew from the tickets, messages and equipment; returns how many documents
/// it holds. The same text the triggers write.
pub async fn rebuild<C: ConnectionTrait>(conn: &C) -> Result<u64, RepoError> {
    let backend = conn.get_database_backend();
    let doc = match backend {
        DbBackend::Postgres => "doc_id",
        _ => "rowid",
    };
    let statements = [
        "DELETE FROM search_index".to_owned(),
        format!(
            "INSERT INTO search_index ({doc}, title, body, kind, ticket_id) \
             SELECT id * 4, title, description || ' ' || room_number, 't', id FROM tickets"
        ),
        format!(
            "INSERT INTO search_index ({doc}, title, body, kind, ticket_id) \
             SELECT id * 4 + 1, '', message, CASE WHEN is_internal THEN 'n' ELSE 'm' END, \
             ticket_id FROM ticket_messages"
        ),
        format!(
            "INSERT INTO search_index ({doc}, title, body, kind, ticket_id) \
             SELECT id * 4 + 3, name, concat_ws(' ', model, serial_number, inventory_number, \
             location), 'e', NULL FROM equipment WHERE deleted_at IS NULL"
        ),
    ];
    for sql in statements {
        conn.execute_raw(Statement::from_string(backend, sql))
            .await?;
    }
    let count = conn
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) FROM search_index",
        ))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    Ok(u64::try_from(count).unwrap_or(0))
}
