//! Protected persons at rest and on the way out. At ingest a body that
//! names a victim, witness or detainee is stored with every mention masked
//! (`#` for each byte, so every span still indexes it) beside the text as
//! written, sealed; claims keep the masked passage and name the person by
//! pseudonym. Those allowed get the names back through [`Revealer`].

use std::collections::HashMap;

use dossier_extract::ProtectedPerson;
use dossier_model::{Attribution, Claim, Incident, Source, SourceId, Span};
use dossier_store::{Mention, PersonRow};
use serde_json::Value;

use crate::vault::{normalise_name, Vault};
use crate::{App, AppError};

/// What ingest stores for the protected persons of one source.
pub(crate) struct Protection {
    /// The body with every mention masked.
    pub stored_body: String,
    /// The body as written, sealed.
    pub sealed_body: String,
    /// Persons not stored before, with the blind tokens of their name words.
    pub new_persons: Vec<(PersonRow, Vec<String>)>,
    /// Every mention, one per span start.
    pub mentions: Vec<Mention>,
    /// Name (then each name word) → pseudonym, longest first.
    replacements: Vec<(String, String)>,
}

/// The byte-for-byte mask of a body: every byte of every span becomes `#`.
pub(crate) fn mask(body: &str, spans: &[Span]) -> String {
    let mut bytes = body.as_bytes().to_vec();
    for s in spans {
        if s.start <= s.end && s.end <= bytes.len() {
            bytes[s.start..s.end].fill(b'#');
        }
    }
    // Whole characters are masked (spans lie on character boundaries), so
    // the result is UTF-8; lossy only guards against a span that does not.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A confidential body as stored: every byte of every character but
/// whitespace becomes `#`.
pub(crate) fn mask_all(body: &str) -> String {
    body.chars().map(|c| if c.is_whitespace() { c.to_string() } else { "#".repeat(c.len_utf8()) }).collect()
}

/// The words of a name the index and the masks take: three letters or more.
pub(crate) fn name_words(name: &str) -> Vec<String> {
    normalise_name(name).split(' ').filter(|w| w.chars().count() >= 3).map(str::to_string).collect()
}

/// Replaces whole-word occurrences of each `from` with its `to`.
fn replace_words(text: &str, replacements: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (from, to) in replacements {
        if from.is_empty() || !out.contains(from.as_str()) {
            continue;
        }
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(pos) = rest.find(from.as_str()) {
            let before = rest[..pos].chars().next_back().or_else(|| next.chars().next_back());
            let after = rest[pos + from.len()..].chars().next();
            next.push_str(&rest[..pos]);
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
                next.push_str(from);
            } else {
                next.push_str(to);
            }
            rest = &rest[pos + from.len()..];
        }
        next.push_str(rest);
        out = next;
    }
    out
}

/// Applies `f` to every string inside a JSON value.
fn map_strings(v: &mut Value, f: &dyn Fn(&str) -> String) {
    match v {
        Value::String(s) => *s = f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| map_strings(i, f)),
        Value::Object(map) => map.values_mut().for_each(|i| map_strings(i, f)),
        _ => {}
    }
}

/// A claim with `f` applied to its value's strings and its party.
fn map_claim(claim: &mut Claim, f: &dyn Fn(&str) -> String) {
    let mut value = serde_json::to_value(&claim.value).expect("claim values serialise");
    map_strings(&mut value, f);
    if let Ok(v) = serde_json::from_value(value) {
        claim.value = v;
    }
    if let Attribution::Party(p) = &claim.according_to {
        claim.according_to = Attribution::Party(f(p));
    }
}

impl Protection {
    /// Masks and seals a body for its protected persons; `known` gives the
    /// pseudonym already stored for a whole-name token.
    pub(crate) fn new(
        vault: &Vault,
        body: &str,
        persons: &[ProtectedPerson],
        known: &HashMap<String, String>,
        confidential: bool,
    ) -> Protection {
        let mut new_persons: Vec<(PersonRow, Vec<String>)> = Vec::new();
        let mut mentions: Vec<Mention> = Vec::new();
        let mut replacements = Vec::new();
        for p in persons {
            let name = p.name.reveal();
            let token = vault.blind_name(name);
            let pseudonym = match known.get(&token) {
                Some(existing) => existing.clone(),
                None => {
                    let pseudonym = vault.pseudonym(name);
                    let words = name_words(name).iter().map(|w| vault.blind(w)).collect();
                    let row = PersonRow {
                        pseudonym: pseudonym.clone(),
                        name_token: token,
                        name_sealed: vault.seal(name.as_bytes()),
                    };
                    if !new_persons.iter().any(|(r, _)| r.pseudonym == pseudonym) {
                        new_persons.push((row, words));
                    }
                    pseudonym
                }
            };
            for span in &p.mentions {
                let taken = mentions.iter().any(|m| m.span.start < span.end && span.start < m.span.end);
                if !taken {
                    mentions.push(Mention { pseudonym: pseudonym.clone(), role: p.role.as_str().into(), span: *span });
                }
            }
            replacements.push((name.to_string(), pseudonym.clone()));
            for w in name.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())) {
                if w.chars().count() >= 3 {
                    replacements.push((w.to_string(), pseudonym.clone()));
                }
            }
        }
        mentions.sort_by_key(|m| m.span.start);
        replacements.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        let spans: Vec<Span> = mentions.iter().map(|m| m.span).collect();
        Protection {
            stored_body: if confidential { mask_all(body) } else { mask(body, &spans) },
            sealed_body: vault.seal(body.as_bytes()),
            new_persons,
            mentions,
            replacements,
        }
    }

    /// A text of the source's own (its title, a note) with persons by pseudonym.
    pub(crate) fn protect_text(&self, text: &str) -> String {
        replace_words(text, &self.replacements)
    }

    /// A claim as stored: its passage from the masked body, persons by pseudonym.
    pub(crate) fn protect_claim(&self, claim: &mut Claim) {
        if let Some(t) = self.stored_body.get(claim.span.start..claim.span.end) {
            claim.text = t.to_string();
        }
        map_claim(claim, &|s| replace_words(s, &self.replacements));
    }
}

/// Names and texts as written, for those allowed to see them.
pub struct Revealer {
    names: Vec<(String, String)>,
    bodies: HashMap<SourceId, String>,
    /// Confidential sources' file names and metadata as written.
    metas: HashMap<SourceId, (String, dossier_model::SourceMeta)>,
}

impl Revealer {
    /// A string with every pseudonym replaced by the name.
    pub fn text(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (pseudonym, name) in &self.names {
            if out.contains(pseudonym.as_str()) {
                out = out.replace(pseudonym.as_str(), name);
            }
        }
        out
    }

    /// The body of a source as written.
    pub fn body<'a>(&'a self, source: &'a Source) -> &'a str {
        self.bodies.get(&source.id).map(String::as_str).unwrap_or(&source.body)
    }

    /// A source with its body (and, if confidential, its metadata) as written.
    pub fn source(&self, source: &Source) -> Source {
        let mut s = Source { body: self.body(source).to_string(), ..source.clone() };
        if let Some((file_name, meta)) = self.metas.get(&source.id) {
            s.file_name = file_name.clone();
            s.meta = meta.clone();
        }
        s
    }

    /// A claim with its passage as written and persons by name.
    pub fn claim(&self, claim: &mut Claim) {
        if let Some(t) = self.bodies.get(&claim.source).and_then(|b| b.get(claim.span.start..claim.span.end)) {
            claim.text = t.to_string();
        }
        map_claim(claim, &|s| self.text(s));
    }

    /// An incident with every passage as written and persons by name.
    pub fn incident(&self, incident: &Incident) -> Incident {
        let mut v = serde_json::to_value(incident).expect("incidents serialise");
        self.passages(&mut v);
        map_strings(&mut v, &|s| self.text(s));
        serde_json::from_value(v).unwrap_or_else(|_| incident.clone())
    }

    /// Objects holding a `source`, a `span` and a `text` get the text as written.
    fn passages(&self, v: &mut Value) {
        match v {
            Value::Array(items) => items.iter_mut().for_each(|i| self.passages(i)),
            Value::Object(map) => {
                let span = map.get("span").and_then(|s| Some((s.get("start")?.as_u64()?, s.get("end")?.as_u64()?)));
                let body = map
                    .get("source")
                    .and_then(Value::as_str)
                    .and_then(|s| SourceId::parse(s).ok())
                    .and_then(|id| self.bodies.get(&id));
                if let (Some((start, end)), Some(body), true) = (span, body, map.contains_key("text")) {
                    if let Some(t) = body.get(start as usize..end as usize) {
                        map.insert("text".into(), Value::String(t.to_string()));
                    }
                }
                map.values_mut().for_each(|i| self.passages(i));
            }
            _ => {}
        }
    }
}

/// A protected person found by name: for analysts and above only.
#[derive(Debug, Clone)]
pub struct PersonHit {
    /// The pseudonym others see.
    pub pseudonym: String,
    /// The name.
    pub name: dossier_model::ProtectedName,
    /// Where the name is written: source and mention.
    pub mentions: Vec<(SourceId, dossier_store::Mention)>,
}

impl Revealer {
    /// The name of the person with this pseudonym.
    pub fn name_of(&self, pseudonym: &str) -> Option<&str> {
        self.names.iter().find(|(p, _)| p == pseudonym).map(|(_, n)| n.as_str())
    }
}

impl App {
    /// Each incident's victims and detainees, as the export lists them: one
    /// entry per person and source (`name`, `pseudonym`, `role`, `source`,
    /// `text`, `span` of the first mention), by name for the key holder
    /// (`revealer`), by pseudonym with the mention masked otherwise.
    pub(crate) async fn incident_victims(
        &self,
        incidents: &[Incident],
        sources: &[Source],
        revealer: Option<&Revealer>,
    ) -> Result<HashMap<String, Vec<Value>>, AppError> {
        // One incident: the mentions of its own sources only; else all of them at once.
        let mentions = match incidents {
            [one] => {
                let mut m = Vec::new();
                for s in &one.sources {
                    m.extend(self.store.mentions_in(s).await?.into_iter().map(|x| (s.clone(), x)));
                }
                m
            }
            _ => self.store.all_mentions().await?,
        };
        let bodies: HashMap<&SourceId, &Source> = sources.iter().map(|s| (&s.id, s)).collect();
        let mut out = HashMap::new();
        for i in incidents {
            let mut victims: Vec<Value> = Vec::new();
            for (source, m) in mentions.iter().filter(|(s, m)| i.sources.contains(s) && m.role != "witness") {
                if victims.iter().any(|v| v["pseudonym"] == m.pseudonym.as_str() && v["source"] == source.as_str()) {
                    continue;
                }
                let body = bodies.get(source).map(|s| revealer.map_or(s.body.as_str(), |r| r.body(s))).unwrap_or("");
                let name = revealer.and_then(|r| r.name_of(&m.pseudonym)).unwrap_or(&m.pseudonym);
                victims.push(serde_json::json!({
                    "name": name, "pseudonym": m.pseudonym, "role": m.role, "source": source,
                    "text": body.get(m.span.start..m.span.end).unwrap_or(""),
                    "span": { "start": m.span.start, "end": m.span.end },
                }));
            }
            out.insert(i.id.to_string(), victims);
        }
        Ok(out)
    }

    /// One incident's victims and detainees (see the export's `victims`):
    /// by name when `names` (the caller may see them), else by pseudonym.
    pub async fn victims_of(&self, incident: &Incident, names: bool) -> Result<Vec<Value>, AppError> {
        let mut sources = Vec::new();
        for id in &incident.sources {
            if let Some(s) = self.store.source(id).await? {
                sources.push(s);
            }
        }
        let revealer = if names { Some(self.revealer(Some(&incident.sources)).await?) } else { None };
        let mut all = self.incident_victims(std::slice::from_ref(incident), &sources, revealer.as_ref()).await?;
        Ok(all.remove(incident.id.as_str()).unwrap_or_default())
    }

    /// Protected persons whose names hold every word of `q` (three letters
    /// or more), found through the blind index without decrypting anything
    /// else; for callers allowed to see names.
    pub async fn search_persons(&self, q: &str) -> Result<Vec<PersonHit>, AppError> {
        let vault = self.vault();
        let words = name_words(q);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut candidates: Option<Vec<String>> = None;
        for w in &words {
            let found = self.store.persons_with_word(&vault.blind(w)).await?;
            candidates = Some(match candidates {
                None => found,
                Some(before) => before.into_iter().filter(|p| found.contains(p)).collect(),
            });
        }
        let mut hits = Vec::new();
        for pseudonym in candidates.unwrap_or_default() {
            let Some(row) = self.store.person(&pseudonym).await? else { continue };
            let name = self.person_name(&row)?;
            let mentions = self.store.mentions_of_person(&pseudonym).await?;
            hits.push(PersonHit { pseudonym, name: dossier_model::ProtectedName::new(name), mentions });
        }
        Ok(hits)
    }

    /// Opens a sealed value, re-reading the key file once if it names a key
    /// this process does not hold yet (rotated by another process).
    pub(crate) fn open_sealed(&self, sealed: &str) -> Result<Vec<u8>, AppError> {
        match self.vault().open(sealed) {
            Err(crate::VaultError::UnknownKey(_)) => {
                self.reload_vault()?;
                self.vault().open(sealed).map_err(|e| AppError::Invalid(e.to_string()))
            }
            other => other.map_err(|e| AppError::Invalid(e.to_string())),
        }
    }

    /// [`App::open_sealed`] for text; `what` names the value in the error.
    pub(crate) fn open_sealed_text(&self, sealed: &str, what: &str) -> Result<String, AppError> {
        String::from_utf8(self.open_sealed(sealed)?).map_err(|_| AppError::Invalid(format!("{what} is not UTF-8")))
    }

    /// A stored person's name.
    pub(crate) fn person_name(&self, p: &PersonRow) -> Result<String, AppError> {
        self.open_sealed_text(&p.name_sealed, &format!("the name of person {}", p.pseudonym))
    }

    /// A source and its claims as an analyst sees them: the text as
    /// written and persons by name.
    pub async fn revealed_source(&self, s: &Source, claims: &mut [Claim]) -> Result<Source, AppError> {
        let r = self.revealer(Some(std::slice::from_ref(&s.id))).await?;
        claims.iter_mut().for_each(|c| r.claim(c));
        Ok(r.source(s))
    }

    /// Claims as an analyst sees them: passages as written, persons by name.
    pub async fn reveal_claims(&self, claims: &mut [Claim]) -> Result<(), AppError> {
        let mut ids: Vec<SourceId> = claims.iter().map(|c| c.source.clone()).collect();
        ids.sort();
        ids.dedup();
        let r = self.revealer(Some(&ids)).await?;
        claims.iter_mut().for_each(|c| r.claim(c));
        Ok(())
    }

    /// What a signed-in analyst may see: every protected name and the
    /// sealed bodies of `sources` (all sources when `None`).
    pub async fn revealer(&self, sources: Option<&[SourceId]>) -> Result<Revealer, AppError> {
        let mut names = Vec::new();
        for p in self.store.persons().await? {
            names.push((p.pseudonym.clone(), self.person_name(&p)?));
        }
        let mut bodies = HashMap::new();
        let sealed: Vec<(SourceId, String)> = match sources {
            None => self
                .store
                .sealed_bodies()
                .await?
                .into_iter()
                .filter_map(|(id, s)| Some((SourceId::parse(&id).ok()?, s)))
                .collect(),
            Some(ids) => {
                let mut out = Vec::new();
                for id in ids {
                    if let Some(s) = self.store.sealed_body(id).await? {
                        out.push((id.clone(), s));
                    }
                }
                out
            }
        };
        let mut metas = HashMap::new();
        for (id, s) in sealed {
            let body = self.open_sealed_text(&s, &format!("the sealed body of source {id}"))?;
            if let Some(m) = self.store.sealed_meta(&id).await? {
                metas.insert(id.clone(), self.open_meta(&id, &m)?);
            }
            bodies.insert(id, body);
        }
        Ok(Revealer { names, bodies, metas })
    }

    /// A confidential source's file name and metadata as written.
    pub(crate) fn open_meta(
        &self,
        id: &SourceId,
        sealed: &str,
    ) -> Result<(String, dossier_model::SourceMeta), AppError> {
        let bad = || AppError::Invalid(format!("source {id} has sealed metadata that does not read"));
        let v: Value = serde_json::from_slice(&self.open_sealed(sealed)?).map_err(|_| bad())?;
        let file_name = v["file_name"].as_str().ok_or_else(bad)?.to_string();
        let meta = serde_json::from_value(v["meta"].clone()).map_err(|_| bad())?;
        Ok((file_name, meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_every_span_and_replacements_take_whole_words() {
        let body = "Mr. Safar Zakery, née Zäkery, was taken.";
        let start = body.find("Zäkery").unwrap();
        let masked = mask(body, &[Span::new(4, 16), Span::new(start, start + "Zäkery".len())]);
        assert_eq!(masked.len(), body.len());
        assert!(masked.starts_with("Mr. ############, née #######, was"));
        let r =
            vec![("Safar Zakery".to_string(), "Person A".to_string()), ("Zakery".to_string(), "Person A".to_string())];
        assert_eq!(replace_words("Mr. Safar Zakery and Zakeryan; Zakery.", &r), "Mr. Person A and Zakeryan; Person A.");
    }
}
