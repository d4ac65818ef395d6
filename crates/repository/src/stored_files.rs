//! Files kept in the database, in numbered chunks, for deployments whose instances share no
//! disk. A file is written chunk by chunk (each its own short statement, so an upload never
//! holds the writer) under a `stored_files` row that says `complete` only once every chunk is
//! in; an attachment row's deletion takes its chunks with it (trigger of migration 28).

use chrono::NaiveDateTime;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};

use crate::{
    RepoError,
    entities::{file_chunk, stored_file},
};

/// Starts a file under `key`, replacing any earlier incomplete attempt, and clears away the
/// remains of uploads abandoned before `abandoned_before` (an instance killed mid-upload
/// leaves an incomplete file nobody will finish).
pub async fn begin<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    now: NaiveDateTime,
    abandoned_before: NaiveDateTime,
) -> Result<(), RepoError> {
    let abandoned: Vec<String> = stored_file::Entity::find()
        .select_only()
        .column(stored_file::Column::FileKey)
        // Spelled as the partial index's predicate, so both databases read only that index.
        .filter(Expr::cust("NOT complete"))
        .filter(stored_file::Column::CreatedAt.lt(abandoned_before))
        .limit(10)
        .into_tuple()
        .all(conn)
        .await?;
    for old in abandoned.iter().map(String::as_str).chain([key]) {
        remove(conn, old).await?;
    }
    stored_file::Entity::insert(stored_file::ActiveModel {
        file_key: Set(key.to_string()),
        size: Set(0),
        complete: Set(false),
        created_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

pub async fn append<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    seq: i32,
    data: Vec<u8>,
) -> Result<(), RepoError> {
    file_chunk::Entity::insert(file_chunk::ActiveModel {
        file_key: Set(key.to_string()),
        seq: Set(seq),
        data: Set(data),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Marks the file whole: from now on it can be read.
pub async fn finish<C: ConnectionTrait>(conn: &C, key: &str, size: u64) -> Result<(), RepoError> {
    stored_file::Entity::update_many()
        .col_expr(stored_file::Column::Complete, true.into())
        .col_expr(
            stored_file::Column::Size,
            i64::try_from(size).unwrap_or(i64::MAX).into(),
        )
        .filter(stored_file::Column::FileKey.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether a whole file is stored under `key`.
pub async fn exists<C: ConnectionTrait>(conn: &C, key: &str) -> Result<bool, RepoError> {
    Ok(stored_file::Entity::find_by_id(key.to_string())
        .one(conn)
        .await?
        .is_some_and(|f| f.complete))
}

/// The chunk after `seq` (the first for `None`), with its number.
pub async fn chunk_after<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    seq: Option<i32>,
) -> Result<Option<(i32, Vec<u8>)>, RepoError> {
    let mut q = file_chunk::Entity::find().filter(file_chunk::Column::FileKey.eq(key));
    if let Some(seq) = seq {
        q = q.filter(file_chunk::Column::Seq.gt(seq));
    }
    Ok(q.order_by_asc(file_chunk::Column::Seq)
        .limit(1)
        .one(conn)
        .await?
        .map(|c| (c.seq, c.data)))
}

/// Removes a file and its chunks; a file already gone is not an error.
pub async fn remove<C: ConnectionTrait>(conn: &C, key: &str) -> Result<(), RepoError> {
    file_chunk::Entity::delete_many()
        .filter(file_chunk::Column::FileKey.eq(key))
        .exec(conn)
        .await?;
    stored_file::Entity::delete_by_id(key.to_string())
        .exec(conn)
        .await?;
    Ok(())
}
