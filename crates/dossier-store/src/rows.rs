//! Row ↔ model conversions. A row that does not decode is reported as
//! corrupt, naming its table and key.

use dossier_ledger::Entry;
use dossier_model::{
    Attribution, Claim, ClaimId, ClaimKind, ClaimMove, ClaimStatus, ClaimValue, GroupingAction, GroupingDecision,
    Incident, MediaType, Review, ReviewAction, Sha256Hex, Source, SourceId, SourceMeta, SourceType, Span,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::store::{LoggedEntry, TreeHead};
use crate::StoreError;

pub const SOURCE_COLUMNS: &str = "id, sha256, file_name, media_type, byte_len, title, url, source_type, publisher, \
                                  published, author, language, note, body, ingested_at, confidential";

pub const CLAIM_COLUMNS: &str =
    "id, source_id, kind, span_start, span_end, sentence_start, sentence_end, text, according_to, status, value, frame";

fn corrupt(table: &'static str, key: &str, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { table, key: key.chars().take(40).collect(), reason: reason.to_string() }
}

fn usize_of(row: &AnyRow, col: &str, table: &'static str, key: &str) -> Result<usize, StoreError> {
    let v: i64 = row.try_get(col)?;
    usize::try_from(v).map_err(|_| corrupt(table, key, format!("{col} is negative")))
}

pub fn source(row: &AnyRow) -> Result<Source, StoreError> {
    let id: String = row.try_get("id")?;
    let bad = |reason: String| corrupt("sources", &id, reason);
    let published: Option<String> = row.try_get("published")?;
    let meta = SourceMeta {
        title: row.try_get("title")?,
        url: row.try_get("url")?,
        source_type: SourceType::parse(&row.try_get::<String, _>("source_type")?).map_err(|e| bad(e.to_string()))?,
        publisher: row.try_get("publisher")?,
        published: published.map(|p| SourceMeta::parse_date(&p)).transpose().map_err(|e| bad(e.to_string()))?,
        author: row.try_get("author")?,
        language: row.try_get("language")?,
        note: row.try_get("note")?,
        confidential: row.try_get::<i64, _>("confidential")? != 0,
    };
    let media: String = row.try_get("media_type")?;
    Ok(Source {
        id: SourceId::parse(&id).map_err(|e| bad(e.to_string()))?,
        sha256: Sha256Hex::parse(&row.try_get::<String, _>("sha256")?).map_err(|e| bad(e.to_string()))?,
        file_name: row.try_get("file_name")?,
        media_type: MediaType::parse(&media).ok_or_else(|| bad(format!("unknown media type {media:?}")))?,
        byte_len: row.try_get::<i64, _>("byte_len")? as u64,
        meta,
        body: row.try_get("body")?,
        ingested_at: row.try_get("ingested_at")?,
    })
}

pub fn claim(row: &AnyRow) -> Result<Claim, StoreError> {
    let id: String = row.try_get("id")?;
    let bad = |reason: String| corrupt("claims", &id, reason);
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let value: String = row.try_get("value")?;
    Ok(Claim {
        id: ClaimId::parse(&id).map_err(|e| bad(e.to_string()))?,
        kind: ClaimKind::parse(&kind).ok_or_else(|| bad(format!("unknown kind {kind:?}")))?,
        source: SourceId::parse(&row.try_get::<String, _>("source_id")?).map_err(|e| bad(e.to_string()))?,
        span: Span::new(usize_of(row, "span_start", "claims", &id)?, usize_of(row, "span_end", "claims", &id)?),
        sentence: Span::new(
            usize_of(row, "sentence_start", "claims", &id)?,
            usize_of(row, "sentence_end", "claims", &id)?,
        ),
        text: row.try_get("text")?,
        according_to: Attribution::parse(&row.try_get::<String, _>("according_to")?),
        status: ClaimStatus::parse(&status).ok_or_else(|| bad(format!("unknown status {status:?}")))?,
        value: serde_json::from_str(&value).map_err(|e| bad(format!("value: {e}")))?,
        review: None,
        moved: None,
        frame: u32::try_from(row.try_get::<i64, _>("frame")?).map_err(|_| bad("frame out of range".into()))?,
    })
}

pub fn value_json(v: &ClaimValue) -> String {
    serde_json::to_string(v).expect("claim values serialise")
}

pub fn incident_json(i: &Incident) -> String {
    serde_json::to_string(i).expect("incidents serialise")
}

pub fn incident(row: &AnyRow) -> Result<Incident, StoreError> {
    let id: String = row.try_get("id")?;
    let doc: String = row.try_get("doc")?;
    serde_json::from_str(&doc).map_err(|e| corrupt("incidents", &id, e))
}

pub fn logged_entry(row: &AnyRow) -> Result<LoggedEntry, StoreError> {
    let seq: i64 = row.try_get("seq")?;
    Ok(LoggedEntry {
        entry: Entry {
            seq: u64::try_from(seq).map_err(|_| corrupt("log_entries", &seq.to_string(), "negative seq"))?,
            recorded_at: row.try_get("recorded_at")?,
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            subject: row.try_get("subject")?,
            payload: row.try_get("payload")?,
        },
        leaf_hash: row.try_get("leaf_hash")?,
    })
}

pub fn tree_head(row: &AnyRow) -> Result<TreeHead, StoreError> {
    Ok(TreeHead {
        size: row.try_get::<i64, _>("size")? as u64,
        root: row.try_get("root")?,
        frontier: row.try_get("frontier")?,
        updated_at: row.try_get("updated_at")?,
        signed_at: row.try_get("signed_at")?,
        signature: row.try_get("signature")?,
    })
}

pub fn review(row: &AnyRow) -> Result<Review, StoreError> {
    let seq: i64 = row.try_get("seq")?;
    let key = seq.to_string();
    let bad = |reason: String| corrupt("reviews", &key, reason);
    let action: String = row.try_get("action")?;
    let value: Option<String> = row.try_get("value")?;
    Ok(Review {
        seq: seq as u64,
        claim: ClaimId::parse(&row.try_get::<String, _>("claim_id")?).map_err(|e| bad(e.to_string()))?,
        action: ReviewAction::parse(&action).ok_or_else(|| bad(format!("unknown action {action:?}")))?,
        value: value.map(|v| serde_json::from_str(&v)).transpose().map_err(|e| bad(format!("value: {e}")))?,
        reason: row.try_get("reason")?,
        actor: row.try_get("actor")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

pub fn claim_move(row: &AnyRow) -> Result<ClaimMove, StoreError> {
    let seq: i64 = row.try_get("seq")?;
    let key = seq.to_string();
    let bad = |reason: String| corrupt("claim_moves", &key, reason);
    let target: Option<String> = row.try_get("target_id")?;
    Ok(ClaimMove {
        seq: seq as u64,
        claim: ClaimId::parse(&row.try_get::<String, _>("claim_id")?).map_err(|e| bad(e.to_string()))?,
        target: target.map(|t| ClaimId::parse(&t)).transpose().map_err(|e| bad(e.to_string()))?,
        reason: row.try_get("reason")?,
        actor: row.try_get("actor")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

pub fn grouping_decision(row: &AnyRow) -> Result<GroupingDecision, StoreError> {
    let seq: i64 = row.try_get("seq")?;
    let key = seq.to_string();
    let bad = |reason: String| corrupt("grouping_decisions", &key, reason);
    let action: String = row.try_get("action")?;
    Ok(GroupingDecision {
        seq: seq as u64,
        ordinal: row.try_get::<i64, _>("ordinal")? as u64,
        action: GroupingAction::parse(&action).ok_or_else(|| bad(format!("unknown action {action:?}")))?,
        a: SourceId::parse(&row.try_get::<String, _>("source_a")?).map_err(|e| bad(e.to_string()))?,
        b: SourceId::parse(&row.try_get::<String, _>("source_b")?).map_err(|e| bad(e.to_string()))?,
        reason: row.try_get("reason")?,
        actor: row.try_get("actor")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}
