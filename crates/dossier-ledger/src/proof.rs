//! RFC 9162 proofs: an inclusion proof shows that an entry is the `index`-th
//! leaf of a tree with a given head; a consistency proof shows that a later
//! tree head extends an earlier one (nothing before it was changed, removed
//! or reordered). Generation follows §2.1.3.1 and §2.1.4.1, verification
//! §2.1.3.2 and §2.1.4.2.

use crate::merkle::{node_hash, root_of, split};
use crate::Hash;

/// Why a proof does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The index or sizes cannot describe a tree (index past the end, a later
    /// tree smaller than the earlier one).
    #[error("{0}")]
    Shape(&'static str),
    /// The proof has too many or too few hashes.
    #[error("the proof has the wrong number of hashes")]
    Length,
    /// The proof leads to another root.
    #[error("the proof does not lead to the tree head's root")]
    Root,
}

/// The audit path of leaf `index` in the tree of `leaves` (RFC 9162 §2.1.3.1).
/// Empty when `index` is out of range.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Vec<Hash> {
    if index >= leaves.len() {
        return Vec::new();
    }
    let mut path = Vec::new();
    let (mut lo, mut hi, mut m) = (0, leaves.len(), index);
    // Walk down from the root, then reverse: siblings are listed leaf first.
    while hi - lo > 1 {
        let k = split(hi - lo);
        if m < k {
            path.push(root_of(&leaves[lo + k..hi]));
            hi = lo + k;
        } else {
            path.push(root_of(&leaves[lo..lo + k]));
            lo += k;
            m -= k;
        }
    }
    path.reverse();
    path
}

/// The consistency proof between the tree of the first `first` leaves and the
/// tree of all `leaves` (RFC 9162 §2.1.4.1). Empty when `first` is 0 or is
/// every leaf, or out of range.
pub fn consistency_proof(leaves: &[Hash], first: usize) -> Vec<Hash> {
    if first == 0 || first >= leaves.len() {
        return Vec::new();
    }
    let mut proof = Vec::new();
    subproof(first, leaves, true, &mut proof);
    proof
}

fn subproof(m: usize, d: &[Hash], complete: bool, out: &mut Vec<Hash>) {
    let n = d.len();
    if m == n {
        if !complete {
            out.push(root_of(d));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &d[..k], complete, out);
        out.push(root_of(&d[k..]));
    } else {
        subproof(m - k, &d[k..], false, out);
        out.push(root_of(&d[..k]));
    }
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves whose root is `root`.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::Shape("the leaf index is past the end of the tree"));
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(ProofError::Length);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::Length);
    }
    if r != *root {
        return Err(ProofError::Root);
    }
    Ok(())
}

/// Checks that the tree of `second` leaves with root `second_root` extends the
/// tree of `first` leaves with root `first_root`.
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if first > second {
        return Err(ProofError::Shape("the earlier tree is larger than the later one"));
    }
    if first == second {
        if !proof.is_empty() {
            return Err(ProofError::Length);
        }
        return if first_root == second_root { Ok(()) } else { Err(ProofError::Root) };
    }
    if first == 0 {
        // The empty tree is a prefix of every tree.
        return if proof.is_empty() { Ok(()) } else { Err(ProofError::Length) };
    }
    if proof.is_empty() {
        return Err(ProofError::Length);
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(*first_root);
    }
    path.extend_from_slice(proof);
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if s == 0 {
            return Err(ProofError::Length);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::Length);
    }
    if fr != *first_root || sr != *second_root {
        return Err(ProofError::Root);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ct_vectors::{leaf_hashes as leaves, ROOTS};
    use crate::{leaf_hash, parse_hash};

    fn hashes(hex: &[&str]) -> Vec<Hash> {
        hex.iter().map(|h| parse_hash(h).unwrap()).collect()
    }

    fn root(size: usize) -> Hash {
        parse_hash(ROOTS[size - 1]).unwrap()
    }

    #[test]
    fn inclusion_proofs_match_the_reference_vectors_and_verify() {
        let l = leaves();
        let cases: [(usize, usize, &[&str]); 5] = [
            (0, 1, &[]),
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (2, 3, &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
            (
                1,
                5,
                &[
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (index, size, want) in cases {
            let proof = inclusion_proof(&l[..size], index);
            assert_eq!(proof, hashes(want), "PATH({index}, D[{size}])");
            let (i, n) = (index as u64, size as u64);
            assert_eq!(verify_inclusion(i, n, &l[index], &proof, &root(size)), Ok(()));
            // A wrong index, size, leaf, root or path never verifies.
            assert!(verify_inclusion(i + 1, n, &l[index], &proof, &root(size)).is_err());
            assert!(verify_inclusion(i, n * 2, &l[index], &proof, &root(size)).is_err());
            assert!(verify_inclusion(i, n, &leaf_hash(b"wrong"), &proof, &root(size)).is_err());
            assert!(verify_inclusion(i, n, &l[index], &proof, &crate::EMPTY_ROOT).is_err());
            let mut longer = proof.clone();
            longer.push(root(size));
            assert!(verify_inclusion(i, n, &l[index], &longer, &root(size)).is_err());
            for k in 0..proof.len() {
                let mut bad = proof.clone();
                bad[k] = crate::EMPTY_ROOT;
                assert!(verify_inclusion(i, n, &l[index], &bad, &root(size)).is_err());
                let mut shorter = proof.clone();
                shorter.remove(k);
                assert!(verify_inclusion(i, n, &l[index], &shorter, &root(size)).is_err());
            }
        }
    }

    #[test]
    fn consistency_proofs_match_the_reference_vectors_and_verify() {
        let l = leaves();
        let cases: [(usize, usize, &[&str]); 4] = [
            (1, 1, &[]),
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (first, second, want) in cases {
            let proof = consistency_proof(&l[..second], first);
            assert_eq!(proof, hashes(want), "PROOF({first}, D[{second}])");
            let (m, n) = (first as u64, second as u64);
            assert_eq!(verify_consistency(m, n, &root(first), &root(second), &proof), Ok(()));
            if proof.is_empty() {
                continue;
            }
            assert!(verify_consistency(m, n, &root(second), &root(first), &proof).is_err(), "swapped roots");
            assert!(verify_consistency(m + 1, n, &root(first), &root(second), &proof).is_err());
            assert!(verify_consistency(m, n * 2, &root(first), &root(second), &proof).is_err());
            assert!(verify_consistency(m, n, &root(first), &root(second), &[]).is_err());
            for k in 0..proof.len() {
                let mut bad = proof.clone();
                bad[k] = crate::EMPTY_ROOT;
                assert!(verify_consistency(m, n, &root(first), &root(second), &bad).is_err());
            }
        }
        assert!(verify_consistency(2, 1, &root(2), &root(1), &[]).is_err(), "no time travel");
    }

    #[test]
    fn every_proof_of_every_small_tree_verifies() {
        let l: Vec<Hash> = (0u32..40).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        for n in 1..=l.len() {
            let r = root_of(&l[..n]);
            for i in 0..n {
                let p = inclusion_proof(&l[..n], i);
                assert_eq!(verify_inclusion(i as u64, n as u64, &l[i], &p, &r), Ok(()), "{i} of {n}");
            }
            for m in 1..=n {
                let p = consistency_proof(&l[..n], m);
                assert_eq!(verify_consistency(m as u64, n as u64, &root_of(&l[..m]), &r, &p), Ok(()), "{m} to {n}");
            }
        }
    }
}
