//! Protected persons' rows: sealed names, blind tokens, mentions, and the
//! sealed bodies of the sources that name them. The store keeps what it is
//! given; sealing and opening are the app's.

use dossier_model::{SourceId, Span};
use sqlx::Row;

use crate::{Store, StoreError, Tx};

/// A person as stored: pseudonym, blind token of the name, sealed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The stable pseudonym ("Person 7QK2ZD").
    pub pseudonym: String,
    /// The blind token of the whole name.
    pub name_token: String,
    /// The name, sealed.
    pub name_sealed: String,
}

pub use dossier_model::Mention;

fn mention(row: &sqlx::any::AnyRow) -> Result<Mention, StoreError> {
    let start: i64 = row.try_get("span_start")?;
    let end: i64 = row.try_get("span_end")?;
    Ok(Mention {
        pseudonym: row.try_get("pseudonym")?,
        role: row.try_get("role")?,
        span: Span::new(start as usize, end as usize),
    })
}

fn person(r: &sqlx::any::AnyRow) -> Result<PersonRow, StoreError> {
    Ok(PersonRow {
        pseudonym: r.try_get("pseudonym")?,
        name_token: r.try_get("name_token")?,
        name_sealed: r.try_get("name_sealed")?,
    })
}

/// A mention with its source (rows with a `source_id` column).
fn sourced_mention(r: &sqlx::any::AnyRow) -> Result<(SourceId, Mention), StoreError> {
    let id: String = r.try_get("source_id")?;
    let id = SourceId::parse(&id).map_err(|e| StoreError::Corrupt {
        table: "person_mentions",
        key: id.clone(),
        reason: e.to_string(),
    })?;
    Ok((id, mention(r)?))
}

impl Store {
    /// The pseudonym of the person whose whole-name token is `token`.
    pub async fn person_by_token(&self, token: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT pseudonym FROM persons WHERE name_token = $1")
            .bind(token)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get("pseudonym")).transpose()?)
    }

    /// Every person, by pseudonym.
    pub async fn persons(&self) -> Result<Vec<PersonRow>, StoreError> {
        let rows = sqlx::query("SELECT pseudonym, name_token, name_sealed FROM persons ORDER BY pseudonym")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(person).collect()
    }

    /// The mentions of protected persons in one source, in order.
    pub async fn mentions_in(&self, source: &SourceId) -> Result<Vec<Mention>, StoreError> {
        let rows = sqlx::query(
            "SELECT pseudonym, role, span_start, span_end FROM person_mentions WHERE source_id = $1 ORDER BY span_start",
        )
        .bind(source.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(mention).collect()
    }

    /// Every mention, with its source, in source and body order.
    pub async fn all_mentions(&self) -> Result<Vec<(SourceId, Mention)>, StoreError> {
        let rows = sqlx::query(
            "SELECT source_id, pseudonym, role, span_start, span_end FROM person_mentions \
             ORDER BY source_id, span_start",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(sourced_mention).collect()
    }

    /// Every mention of one person, by source, in source and body order.
    pub async fn mentions_of_person(&self, pseudonym: &str) -> Result<Vec<(SourceId, Mention)>, StoreError> {
        let rows = sqlx::query(
            "SELECT source_id, pseudonym, role, span_start, span_end FROM person_mentions WHERE pseudonym = $1 \
             ORDER BY source_id, span_start",
        )
        .bind(pseudonym)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(sourced_mention).collect()
    }

    /// One person's row.
    pub async fn person(&self, pseudonym: &str) -> Result<Option<PersonRow>, StoreError> {
        let row = sqlx::query("SELECT pseudonym, name_token, name_sealed FROM persons WHERE pseudonym = $1")
            .bind(pseudonym)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(person).transpose()
    }

    /// The pseudonyms of persons one of whose name words has blind token `token`.
    pub async fn persons_with_word(&self, token: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT pseudonym FROM name_tokens WHERE token = $1 ORDER BY pseudonym")
            .bind(token)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("pseudonym")?)).collect()
    }

    /// The persons one of whose name words has one of these blind tokens,
    /// with their sealed names and the role they were first recorded in.
    pub async fn persons_with_any_word(&self, tokens: &[String]) -> Result<Vec<(PersonRow, String)>, StoreError> {
        let mut out: Vec<(PersonRow, String)> = Vec::new();
        for chunk in tokens.chunks(200) {
            let params: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT p.pseudonym, p.name_token, p.name_sealed, \
                 (SELECT m.role FROM person_mentions m WHERE m.pseudonym = p.pseudonym \
                  ORDER BY m.source_id, m.span_start LIMIT 1) AS role \
                 FROM persons p WHERE p.pseudonym IN (SELECT t.pseudonym FROM name_tokens t WHERE t.token IN ({})) \
                 ORDER BY p.pseudonym",
                params.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for t in chunk {
                q = q.bind(t);
            }
            for r in q.fetch_all(self.pool()).await? {
                let row = person(&r)?;
                let role: Option<String> = r.try_get("role")?;
                if !out.iter().any(|(p, _)| p.pseudonym == row.pseudonym) {
                    out.push((row, role.unwrap_or_else(|| "victim".into())));
                }
            }
        }
        Ok(out)
    }

    /// The sealed body of a source (`None` when nothing in it is protected).
    pub async fn sealed_body(&self, source: &SourceId) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT body_sealed FROM sources WHERE id = $1")
            .bind(source.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get::<Option<String>, _>("body_sealed")).transpose()?.flatten())
    }

    /// The sealed metadata of a confidential source.
    pub async fn sealed_meta(&self, source: &SourceId) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT meta_sealed FROM sources WHERE id = $1")
            .bind(source.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get::<Option<String>, _>("meta_sealed")).transpose()?.flatten())
    }

    /// Every sealed metadata, by source.
    pub async fn sealed_metas(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT id, meta_sealed FROM sources WHERE meta_sealed IS NOT NULL ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("meta_sealed")?))).collect()
    }

    /// Every sealed body, by source.
    pub async fn sealed_bodies(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT id, body_sealed FROM sources WHERE body_sealed IS NOT NULL ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("body_sealed")?))).collect()
    }
}

impl Tx {
    /// Records a new person.
    pub async fn insert_person(&mut self, p: &PersonRow, log_seq: u64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO persons (pseudonym, name_token, name_sealed, log_seq) VALUES ($1, $2, $3, $4)")
            .bind(&p.pseudonym)
            .bind(&p.name_token)
            .bind(&p.name_sealed)
            .bind(log_seq as i64)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Adds blind tokens of a person's name words (kept if already there).
    pub async fn insert_name_tokens(&mut self, pseudonym: &str, tokens: &[String]) -> Result<(), StoreError> {
        for t in tokens {
            sqlx::query("INSERT INTO name_tokens (token, pseudonym) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(t)
                .bind(pseudonym)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Records the mentions of protected persons in a source.
    pub async fn insert_mentions(&mut self, source: &SourceId, mentions: &[Mention]) -> Result<(), StoreError> {
        for m in mentions {
            sqlx::query(
                "INSERT INTO person_mentions (source_id, pseudonym, role, span_start, span_end) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(source.as_str())
            .bind(&m.pseudonym)
            .bind(&m.role)
            .bind(m.span.start as i64)
            .bind(m.span.end as i64)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// Stores a source's sealed body (at ingest, and re-sealed under a new key).
    pub async fn set_sealed_body(&mut self, source: &str, sealed: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE sources SET body_sealed = $1 WHERE id = $2")
            .bind(sealed)
            .bind(source)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Stores a confidential source's sealed metadata (at ingest, and re-sealed under a new key).
    pub async fn set_sealed_meta(&mut self, source: &str, sealed: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE sources SET meta_sealed = $1 WHERE id = $2")
            .bind(sealed)
            .bind(source)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Re-seals a person's name and replaces its blind tokens (key rotation).
    pub async fn reseal_person(&mut self, p: &PersonRow, word_tokens: &[String]) -> Result<(), StoreError> {
        sqlx::query("UPDATE persons SET name_token = $1, name_sealed = $2 WHERE pseudonym = $3")
            .bind(&p.name_token)
            .bind(&p.name_sealed)
            .bind(&p.pseudonym)
            .execute(self.conn())
            .await?;
        sqlx::query("DELETE FROM name_tokens WHERE pseudonym = $1").bind(&p.pseudonym).execute(self.conn()).await?;
        self.insert_name_tokens(&p.pseudonym, word_tokens).await
    }
}
