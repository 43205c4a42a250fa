//! RFC 9162 (Certificate Transparency v2) Merkle tree hashing: leaf and node
//! hashes, the tree head of a list of leaves, and a compact frontier that
//! appends in O(log n).

use sha2::{Digest, Sha256};

use crate::LedgerError;

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The root of the empty tree: SHA-256 of the empty string.
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41,
    0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// `SHA-256(0x00 || data)`: the hash of a leaf.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: the hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The Merkle tree hash (RFC 9162 §2.1.1) of a list of leaf hashes.
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
        }
    }
}

/// The size of a tree's left subtree: the largest power of two below `n`.
pub(crate) fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// The right edge of a Merkle tree: the roots of its perfect subtrees, largest
/// first. Enough to append a leaf and compute the tree head without reading
/// earlier leaves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frontier {
    size: u64,
    nodes: Vec<Hash>,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Frontier::default()
    }

    /// Rebuilds a frontier from its stored parts, checking that they fit.
    pub fn from_parts(size: u64, nodes: Vec<Hash>) -> Result<Self, LedgerError> {
        if nodes.len() != size.count_ones() as usize {
            return Err(LedgerError::BadFrontier { nodes: nodes.len(), size });
        }
        Ok(Frontier { size, nodes })
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The perfect-subtree roots, largest first.
    pub fn nodes(&self) -> &[Hash] {
        &self.nodes
    }

    /// Appends one leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut node = leaf;
        let mut k = self.size;
        while k & 1 == 1 {
            let left = self.nodes.pop().expect("a set bit of the size has a subtree root");
            node = node_hash(&left, &node);
            k >>= 1;
        }
        self.nodes.push(node);
        self.size += 1;
    }

    /// The tree head: equal to [`root_of`] over every leaf pushed.
    pub fn root(&self) -> Hash {
        let mut iter = self.nodes.iter().rev();
        let Some(last) = iter.next() else {
            return EMPTY_ROOT;
        };
        iter.fold(*last, |acc, left| node_hash(left, &acc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ct_vectors::{leaf_hashes, ROOTS};

    #[test]
    fn empty_tree_head_is_the_hash_of_nothing() {
        assert_eq!(hex::encode(root_of(&[])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(Frontier::new().root(), EMPTY_ROOT);
    }

    #[test]
    fn tree_heads_match_the_reference_vectors() {
        let leaves = leaf_hashes();
        for (n, want) in ROOTS.iter().enumerate() {
            assert_eq!(hex::encode(root_of(&leaves[..=n])), *want, "tree of {} leaves", n + 1);
        }
    }

    #[test]
    fn frontier_agrees_with_the_full_computation_at_every_size() {
        let mut f = Frontier::new();
        let mut leaves = Vec::new();
        for i in 0u32..200 {
            let l = leaf_hash(&i.to_be_bytes());
            leaves.push(l);
            f.push(l);
            assert_eq!(f.root(), root_of(&leaves), "size {}", i + 1);
            let again = Frontier::from_parts(f.size(), f.nodes().to_vec()).unwrap();
            assert_eq!(again, f);
        }
    }

    #[test]
    fn frontier_parts_must_fit_the_size() {
        assert!(Frontier::from_parts(3, vec![[0; 32]]).is_err());
        assert!(Frontier::from_parts(4, vec![[0; 32]]).is_ok());
    }
}
