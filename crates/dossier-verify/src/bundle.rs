//! Verifiable bundles (`dossier-bundle/1`): one self-contained file with every
//! source (its original bytes included), claim, human decision, incident and
//! log entry, the signed tree head, and an RFC 9162 inclusion proof for each
//! entry. [`verify_bundle`] checks it offline with only the installation's
//! public key: the signature, every entry's inclusion in the signed tree,
//! every record against the entry that recorded it, the incidents against a
//! fresh resolution, and that the file is in its one canonical form (so no
//! byte can change unnoticed, even one that leaves the JSON valid). A store
//! writes bundles (`dossier-app`); this module reads them, with no database.

use base64::Engine as _;
use dossier_ledger::{
    consistency_proof, hash_hex, inclusion_proof, parse_hash, verify_consistency, verify_inclusion, Entry, Hash,
    TreeHeadBody,
};
use dossier_model::{Claim, ClaimMove, GroupingDecision, Incident, Review, Sha256Hex, Source};
use serde::{Deserialize, Serialize};

use crate::records::{check_records, LogIndex, Records, VerifyReport};

/// A file that is not a bundle this build reads, or two bundles of which the
/// later does not extend the earlier.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BundleError(pub String);

/// The format name written into every bundle.
pub const BUNDLE_FORMAT: &str = "dossier-bundle/1";

/// A bundle as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// The installation's Ed25519 public key (hex), for reference: verify with a key obtained apart.
    pub public_key: String,
    /// The signed tree head over `entries`.
    pub tree_head: SignedHead,
    /// Every log entry the tree head signs, each with its inclusion proof.
    pub entries: Vec<ProvedEntry>,
    /// Every source, with its original bytes.
    pub sources: Vec<BundledSource>,
    /// Every current claim, as extracted.
    pub claims: Vec<Claim>,
    /// Every review.
    pub reviews: Vec<Review>,
    /// Every grouping decision.
    pub grouping_decisions: Vec<GroupingDecision>,
    /// Every move of a claim.
    pub claim_moves: Vec<ClaimMove>,
    /// The incident projection.
    pub incidents: Vec<Incident>,
}

/// The signed tree head a bundle carries.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedHead {
    /// Entries in the tree.
    pub size: u64,
    /// The Merkle root (hex).
    pub root: String,
    /// When it was signed.
    pub signed_at: String,
    /// The Ed25519 signature (hex).
    pub signature: String,
}

/// A log entry with its proof of inclusion in the signed tree.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvedEntry {
    /// The entry's sequence number.
    pub seq: u64,
    /// When it was recorded.
    pub recorded_at: String,
    /// Who recorded it.
    pub actor: String,
    /// What it records.
    pub action: String,
    /// What it is about.
    pub subject: String,
    /// Its payload (JSON text).
    pub payload: String,
    /// Sibling hashes from the leaf up (RFC 9162 §2.1.3).
    pub inclusion_proof: Vec<String>,
}

impl ProvedEntry {
    /// An entry of `leaves`' tree with its inclusion proof.
    pub fn new(e: &Entry, leaves: &[Hash], position: usize) -> ProvedEntry {
        ProvedEntry {
            seq: e.seq,
            recorded_at: e.recorded_at.clone(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            payload: e.payload.clone(),
            inclusion_proof: inclusion_proof(leaves, position).iter().map(hash_hex).collect(),
        }
    }

    /// The log entry.
    pub fn entry(&self) -> Entry {
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

/// A source with its original bytes.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundledSource {
    /// The source as stored.
    pub record: Source,
    /// The original bytes as ingested, base64.
    pub original: String,
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

impl Bundle {
    /// The canonical bytes of a bundle: compact JSON with every object's
    /// keys sorted, and one newline.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let value = serde_json::to_value(self).expect("bundles serialise");
        let mut out = serde_json::to_vec(&value).expect("values serialise");
        out.push(b'\n');
        out
    }
}

/// Checks a bundle offline. `public_key`: the installation's key obtained
/// apart from the bundle; `None` checks against the key the bundle carries,
/// which proves only that the bundle is whole, not who signed it.
pub fn verify_bundle(bytes: &[u8], public_key: Option<[u8; 32]>) -> Result<VerifyReport, BundleError> {
    let bundle: Bundle = serde_json::from_slice(bytes)
        .map_err(|e| BundleError(format!("not a {BUNDLE_FORMAT} file (or it was damaged): {e}")))?;
    if bundle.format != BUNDLE_FORMAT {
        return Err(BundleError(format!("not a {BUNDLE_FORMAT} file: format {:?}", bundle.format)));
    }
    let mut report = VerifyReport::default();
    if bundle.canonical_bytes() != bytes {
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
pub fn verify_extension(earlier: &[u8], later: &[u8], public_key: [u8; 32]) -> Result<Extension, BundleError> {
    let parse = |bytes: &[u8]| -> Result<Bundle, BundleError> {
        serde_json::from_slice(bytes)
            .map_err(|e| BundleError(format!("not a {BUNDLE_FORMAT} file (or it was damaged): {e}")))
    };
    let (a, b) = (parse(earlier)?, parse(later)?);
    let mut roots = Vec::new();
    for (name, bundle) in [("earlier", &a), ("later", &b)] {
        let head = &bundle.tree_head;
        let root = strict_hash(&head.root).map_err(|e| BundleError(format!("{name} tree head: {e}")))?;
        TreeHeadBody { size: head.size, root, signed_at: head.signed_at.clone() }
            .verify(&public_key, &head.signature)
            .map_err(|e| BundleError(format!("{name} tree head: {e}")))?;
        roots.push(root);
    }
    let leaves: Vec<Hash> = b.entries.iter().map(|e| e.entry().leaf_hash()).collect();
    if leaves.len() as u64 != b.tree_head.size {
        return Err(BundleError("the later bundle does not hold every entry its tree head signs".into()));
    }
    let first = a.tree_head.size;
    let proof = if first <= b.tree_head.size { consistency_proof(&leaves, first as usize) } else { Vec::new() };
    verify_consistency(first, b.tree_head.size, &roots[0], &roots[1], &proof)
        .map_err(|e| BundleError(format!("the later log does not extend the earlier one: {e}")))?;
    Ok(Extension { earlier_size: first, later_size: b.tree_head.size, proof: proof.iter().map(hash_hex).collect() })
}
