//! Full-text search over the index the database's triggers keep (migration 25): ranked hits
//! across tickets and equipment, one per ticket or item, with highlighted snippets; the ticket
//! lists' `search=`; and the rebuild from the tables.
//!
//! Who may find what is decided here, in the query: a requester finds only their own visible
//! tickets and never by an internal note; staff find everything. Equipment is everyone's.
//! The cost stays flat as the desk grows: staff rank the newest [`CANDIDATES`] matches, a
//! requester's search looks only at their own documents.

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
    // A staff search ranks at most CANDIDATES documents: nothing lies deeper.
    if query.page.offset >= CANDIDATES {
        return Ok(Vec::new());
    }
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

/// How many of the newest matching documents a staff search ranks: a word in half the desk's
/// tickets costs the same as a rare one (the newest matches are what a desk looks for; more
/// words narrow the matches to older ones).
pub const CANDIDATES: u64 = 1_000;

/// The documents of a requester's own visible tickets and their public messages.
const OWN_DOCUMENTS: &str = "SELECT id * 4 FROM tickets WHERE creator_id = \u{1} \
     AND is_hidden_for_creator = FALSE UNION ALL SELECT m.id * 4 + 1 FROM ticket_messages m \
     JOIN tickets t ON t.id = m.ticket_id WHERE t.creator_id = \u{1} \
     AND t.is_hidden_for_creator = FALSE AND m.is_internal = FALSE";

/// The candidate documents of a search, as `(doc, kind, ticket_id, score)` rows, higher scores
/// better. Staff: the newest [`CANDIDATES`] matches in scope. A requester: the matches among
/// their own documents, and the newest matching equipment.
///
/// PostgreSQL ranks each document on its own (`ts_rank`). SQLite's bm25 would weigh each word
/// by walking every document that holds it (seconds for a common word at a million tickets),
/// and a second, title-only match walks them too when few titles match; so SQLite scores each
/// candidate by itself: a match in its title (seen in `highlight()` of that column) first,
/// then tickets' and equipment's own text before messages, then (in the caller) the newest.
fn candidates(
    backend: DbBackend,
    scope: SearchScope,
    requester: Option<UserId>,
    values: &mut Vec<Value>,
    text: &str,
) -> String {
    let (doc, score, matches) = match backend {
        DbBackend::Postgres => (
            "doc_id",
            "ts_rank(tsv, to_tsquery('simple', \u{1}))",
            "tsv @@ to_tsquery('simple', \u{1})",
        ),
        _ => (
            "rowid",
            "CASE WHEN instr(highlight(search_index, 0, char(1), ''), char(1)) > 0 \
             THEN 2.0 ELSE 0.0 END + CASE WHEN kind IN ('m', 'n') THEN 0.0 ELSE 1.0 END",
            "search_index MATCH \u{1}",
        ),
    };
    // Each branch passes the text wherever its score and match ask for it.
    let asks =
        score.matches(placeholder_mark()).count() + matches.matches(placeholder_mark()).count();
    let branch = |values: &mut Vec<Value>, only: &str, tail: &str| {
        values.extend(std::iter::repeat_n(Value::from(text), asks));
        format!(
            "SELECT * FROM (SELECT {doc} AS doc, kind, ticket_id, {score} AS score \
             FROM search_index WHERE {matches}{only} {tail}) b"
        )
    };
    let newest = format!("ORDER BY {doc} DESC LIMIT {CANDIDATES}");
    let equipment = format!(" AND {doc} % 4 = 3");
    match requester {
        None => {
            let only = match scope {
                SearchScope::All => String::new(),
                SearchScope::Tickets => format!(" AND {doc} % 4 <> 3"),
                SearchScope::Equipment => equipment,
            };
            branch(values, &only, &newest)
        }
        Some(me) => {
            let mut parts = Vec::new();
            if scope != SearchScope::Equipment {
                let own = format!(" AND {doc} IN ({OWN_DOCUMENTS})");
                parts.push(branch(values, &own, ""));
                values.push(me.0.into());
                values.push(me.0.into());
            }
            if scope != SearchScope::Tickets {
                parts.push(branch(values, &equipment, &newest));
            }
            parts.join(" UNION ALL ")
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
    let mut values: Vec<Value> = Vec::new();
    let inner = candidates(backend, query.scope, requester, &mut values, text);
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
        // One branch per document: FTS5 seeks a `rowid =` beside MATCH, while `rowid IN (…)`
        // walks every match of the words (seconds for a common word at a million tickets).
        _ => docs
            .iter()
            .map(|d| {
                format!(
                    "SELECT rowid, snippet(search_index, -1, char(2), char(3), '…', 16) \
                     FROM search_index WHERE search_index MATCH ?1 AND rowid = {}",
                    d.id
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL "),
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

/// The lists' `search=`: tickets whose text or messages match (internal notes too, for
/// staff); `None` when the terms have nothing for the index. A requester's list (`own`) asks
/// the index about each of their tickets — a seek per ticket, however common the word; staff
/// lists take the tickets of the newest [`CANDIDATES`] matching documents.
pub(crate) fn matching_tickets(
    backend: DbBackend,
    terms: &SearchTerms,
    own: bool,
) -> Option<SimpleExpr> {
    let (text, doc, matches) = match backend {
        DbBackend::Postgres => (
            terms.tsquery()?,
            "doc_id",
            "tsv @@ to_tsquery('simple', $1)",
        ),
        _ => (terms.fts5()?, "rowid", "search_index MATCH ?"),
    };
    if own {
        let second = matches.replace("$1", "$2");
        let sql = format!(
            "(EXISTS (SELECT 1 FROM search_index WHERE {matches} AND {doc} = tickets.id * 4) \
             OR EXISTS (SELECT 1 FROM search_index WHERE {second} AND {doc} IN \
             (SELECT m.id * 4 + 1 FROM ticket_messages m WHERE m.ticket_id = tickets.id \
             AND m.is_internal = FALSE)))"
        );
        return Some(Expr::cust_with_values(sql, [text.clone(), text]));
    }
    Some(Expr::cust_with_values(
        format!(
            "tickets.id IN (SELECT ticket_id FROM (SELECT ticket_id FROM search_index \
             WHERE {matches} AND {doc} % 4 <> 3 ORDER BY {doc} DESC LIMIT {CANDIDATES}) c)"
        ),
        [text],
    ))
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
