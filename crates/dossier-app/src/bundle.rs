//! Verifiable bundles (`dossier-bundle/1`): one self-contained file with every
//! source (its original bytes included), claim, human decision, incident and
//! log entry, the signed tree head, and an RFC 9162 inclusion proof for each
//! entry. [`verify_bundle`] checks it offline with only the installation's
//! public key: the signature, every entry's inclusion in the signed tree,
//! every record against the entry that recorded it, the incidents against a
//! fresh resolution, and that the file is in its one canonical form (so no
//! byte can change unnoticed, even one that leaves the JSON valid).

use base64::Engine as _;
use dossier_ledger::{
    consistency_proof, hash_hex, inclusion_proof, parse_hash, verify_consistency, verify_inclusion, Entry, Hash,
    TreeHeadBody,
};
use dossier_model::{Claim, ClaimMove, GroupingDecision, Incident, Review, Sha256Hex, Source};
use serde::{Deserialize, Serialize};

use crate::verify::{check_records, LogIndex, Records, VerifyReport};
use crate::{App, AppError};

/// The format name written into every bundle.
pub const BUNDLE_FORMAT: &str = "dossier-bundle/1";

/// A bundle as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bundle {
    format: String,
    /// The installation's Ed25519 public key (hex), for reference: verify with a key obtained apart.
    public_key: String,
    tree_head: SignedHead,
    entries: Vec<ProvedEntry>,
    sources: Vec<BundledSource>,
    claims: Vec<Claim>,
    reviews: Vec<Review>,
    grouping_decisions: Vec<GroupingDecision>,
    claim_moves: Vec<ClaimMove>,
    incidents: Vec<Incident>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedHead {
    size: u64,
    root: String,
    signed_at: String,
    signature: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvedEntry {
    seq: u64,
    recorded_at: String,
    actor: String,
    action: String,
    subject: String,
    payload: String,
    /// Sibling hashes from the leaf up (RFC 9162 §2.1.3).
    inclusion_proof: Vec<String>,
}

impl ProvedEntry {
    fn entry(&self) -> Entry {
        Entry {
            seq: self.seq,
            recorded_at: self.recorded_at.clone(),
            actor: self.actor.clone(),
            action: self.action.clone(),
            subject: self.subject.clone(),
            payload: self.payload.clone(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundledSource {
    record: Source,
    /// The original bytes as ingested, base64.
    original: String,
}

/// A hash in the one form bundles write it: 64 lowercase hex digits.
fn strict_hash(s: &str) -> Result<Hash, String> {
    let h = parse_hash(s).map_err(|e| e.to_string())?;
    if hash_hex(&h) == s {
        Ok(h)
    } else {
        Err(format!("{s:?} is not in lowercase hex"))
    }
}

/// The canonical bytes of a bundle: compact JSON with every object's keys
/// sorted, and one newline.
fn canonical(b: &Bundle) -> Vec<u8> {
    let value = serde_json::to_value(b).expect("bundles serialise");
    let mut out = serde_json::to_vec(&value).expect("values serialise");
    out.push(b'\n');
    out
}

impl App {
    /// Writes everything into one verifiable bundle (see the module docs).
    pub async fn export_bundle(&self) -> Result<Vec<u8>, AppError> {
        let head = self.store.tree_head().await?;
        let (Some(signed_at), Some(signature)) = (head.signed_at.clone(), head.signature.clone()) else {
            return Err(AppError::Invalid("the tree head is not signed yet: ingest something first".into()));
        };
        let logged = self.store.log_entries().await?;
        let size = head.size as usize;
        if logged.len() < size {
            return Err(AppError::Invalid("the log is shorter than its tree head: run `dossier verify`".into()));
        }
        let leaves: Vec<Hash> = logged[..size].iter().map(|l| l.entry.leaf_hash()).collect();
        let entries = logged[..size]
            .iter()
            .enumerate()
            .map(|(i, l)| ProvedEntry {
                seq: l.entry.seq,
                recorded_at: l.entry.recorded_at.clone(),
                actor: l.entry.actor.clone(),
                action: l.entry.action.clone(),
                subject: l.entry.subject.clone(),
                payload: l.entry.payload.clone(),
                inclusion_proof: inclusion_proof(&leaves, i).iter().map(hash_hex).collect(),
            })
            .collect();
        let records = self.records().await?;
        let mut sources = Vec::with_capacity(records.sources.len());
        for s in records.sources {
            let bytes = self
                .vault()
                .open_file(self.archive.read(&s.sha256)?)
                .map_err(|e| AppError::Invalid(format!("archived original of {}: {e}", s.id)))?;
            sources
                .push(BundledSource { original: base64::engine::general_purpose::STANDARD.encode(bytes), record: s });
        }
        let bundle = Bundle {
            format: BUNDLE_FORMAT.into(),
            public_key: self.public_key(),
            tree_head: SignedHead { size: head.size, root: head.root, signed_at, signature },
            entries,
            sources,
            claims: records.claims,
            reviews: records.reviews,
            grouping_decisions: records.decisions,
            claim_moves: records.moves,
            incidents: records.incidents,
        };
        Ok(canonical(&bundle))
    }
}

/// Checks a bundle offline. `public_key`: the installation's key obtained
/// apart from the bundle; `None` checks against the key the bundle carries,
/// which proves only that the bundle is whole, not who signed it.
pub fn verify_bundle(bytes: &[u8], public_key: Option<[u8; 32]>) -> Result<VerifyReport, AppError> {
    let bundle: Bundle = serde_json::from_slice(bytes)
        .map_err(|e| AppError::Invalid(format!("not a {BUNDLE_FORMAT} file (or it was damaged): {e}")))?;
    if bundle.format != BUNDLE_FORMAT {
        return Err(AppError::Invalid(format!("not a {BUNDLE_FORMAT} file: format {:?}", bundle.format)));
    }
    let mut report = VerifyReport::default();
    if canonical(&bundle) != bytes {
        report.problem("bundle", "the file is not in its canonical form: bytes were changed, added or removed");
    }
    // The signed tree head.
    let head = &bundle.tree_head;
    if head.signature != head.signature.to_lowercase() {
        report.problem("tree head signature", "not in lowercase hex: the bundle was changed");
    }
    let root = match strict_hash(&head.root) {
        Ok(r) => r,
        Err(e) => {
            report.problem("tree head", e.to_string());
            [0; 32]
        }
    };
    let key = match public_key {
        Some(k) => {
            if bundle.public_key != hex::encode(k) {
                report.problem("public key", "the bundle names another key than the one it is checked with");
            }
            k
        }
        None => {
            let mut k = [0u8; 32];
            if hex::decode_to_slice(&bundle.public_key, &mut k).is_err() {
                report.problem("public key", "the bundle's public key is not 32 bytes of hex");
            }
            k
        }
    };
    report.signed_by = hex::encode(key);
    report.root = head.root.clone();
    let body = TreeHeadBody { size: head.size, root, signed_at: head.signed_at.clone() };
    if let Err(e) = body.verify(&key, &head.signature) {
        report.problem("tree head signature", e.to_string());
    }
    // Every entry: in order, and proved to be in the signed tree.
    report.log_entries = bundle.entries.len();
    if bundle.entries.len() as u64 != head.size {
        report
            .problem("tree head", format!("signs {} entries but the bundle holds {}", head.size, bundle.entries.len()));
    }
    let entries: Vec<Entry> = bundle.entries.iter().map(ProvedEntry::entry).collect();
    for (position, (proved, entry)) in bundle.entries.iter().zip(&entries).enumerate() {
        let proof: Result<Vec<Hash>, _> = proved.inclusion_proof.iter().map(|h| strict_hash(h)).collect();
        let included = proof.and_then(|p| {
            verify_inclusion(position as u64, head.size, &entry.leaf_hash(), &p, &root).map_err(|e| e.to_string())
        });
        if let Err(e) = included {
            report.problem(
                format!("log entry {}", entry.seq),
                format!("not proved to be entry {position} of the signed tree: {e}"),
            );
        }
    }
    let log = LogIndex::new(&entries.iter().collect::<Vec<_>>(), &mut report);
    // Every record against its entry; originals against their digests.
    let mut originals = std::collections::HashMap::new();
    let mut sources = Vec::with_capacity(bundle.sources.len());
    for s in bundle.sources {
        originals.insert(s.record.id.clone(), s.original);
        sources.push(s.record);
    }
    let records = Records {
        sources,
        claims: bundle.claims,
        reviews: bundle.reviews,
        decisions: bundle.grouping_decisions,
        moves: bundle.claim_moves,
        incidents: bundle.incidents,
        replaced: None,
    };
    check_records(&mut report, &log, &records, |s| {
        let original = originals.get(&s.id)?;
        match base64::engine::general_purpose::STANDARD.decode(original) {
            Ok(bytes) if Sha256Hex::of(&bytes) == s.sha256 => None,
            Ok(_) => Some("its original bytes no longer match its SHA-256".into()),
            Err(_) => Some("its original bytes are not valid base64".into()),
        }
    });
    Ok(report)
}

/// How a later bundle's log extends an earlier one's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// Entries in the earlier tree.
    pub earlier_size: u64,
    /// Entries in the later tree.
    pub later_size: u64,
    /// The RFC 9162 consistency proof between the two signed roots (hex).
    pub proof: Vec<String>,
}

/// Checks that `later`'s signed log extends `earlier`'s: both tree heads are
/// signed with `public_key`, and a consistency proof computed from the later
/// log verifies from the earlier signed root to the later one, so nothing the
/// earlier bundle showed was changed, removed or reordered since. Each bundle
/// on its own is checked by [`verify_bundle`].
pub fn verify_extension(earlier: &[u8], later: &[u8], public_key: [u8; 32]) -> Result<Extension, AppError> {
    let parse = |bytes: &[u8]| -> Result<Bundle, AppError> {
        serde_json::from_slice(bytes)
            .map_err(|e| AppError::Invalid(format!("not a {BUNDLE_FORMAT} file (or it was damaged): {e}")))
    };
    let (a, b) = (parse(earlier)?, parse(later)?);
    let mut roots = Vec::new();
    for (name, bundle) in [("earlier", &a), ("later", &b)] {
        let head = &bundle.tree_head;
        let root = strict_hash(&head.root).map_err(|e| AppError::Invalid(format!("{name} tree head: {e}")))?;
        TreeHeadBody { size: head.size, root, signed_at: head.signed_at.clone() }
            .verify(&public_key, &head.signature)
            .map_err(|e| AppError::Invalid(format!("{name} tree head: {e}")))?;
        roots.push(root);
    }
    let leaves: Vec<Hash> = b.entries.iter().map(|e| e.entry().leaf_hash()).collect();
    if leaves.len() as u64 != b.tree_head.size {
        return Err(AppError::Invalid("the later bundle does not hold every entry its tree head signs".into()));
    }
    let first = a.tree_head.size;
    let proof = if first <= b.tree_head.size { consistency_proof(&leaves, first as usize) } else { Vec::new() };
    verify_consistency(first, b.tree_head.size, &roots[0], &roots[1], &proof)
        .map_err(|e| AppError::Invalid(format!("the later log does not extend the earlier one: {e}")))?;
    Ok(Extension { earlier_size: first, later_size: b.tree_head.size, proof: proof.iter().map(hash_hex).collect() })
}
