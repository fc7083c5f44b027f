//! Fingerprints for deduplication.
//!
//! * `content_hash`: SHA-256 of the clean text, for exact copies.
//! * `MinHash`: a 64-bin min-hash signature over word 3-shingles of the normalised text (lower case,
//!   letters and digits only). Syndicated copies that differ in header lines,
//!   boilerplate or punctuation share most shingles, so their estimated Jaccard
//!   similarity stays high. LSH banding (16 bands of 4) finds candidates with indexed
//!   equality look-ups: a pair with Jaccard 0.8 shares a band with probability 0.9998.
//!
//! The word hash is FNV-1a and the shingle hash a SplitMix64 finaliser,
//! written here because the fingerprints are stored in the database and must never
//! change across crate versions or platforms (std's hasher makes no such promise).

use sha2::{Digest, Sha256};

pub const MINHASH_SIZE: usize = 64;
pub const BANDS: usize = 16;
const ROWS: usize = MINHASH_SIZE / BANDS;
const SHINGLE: usize = 3;

/// Estimated Jaccard similarity at or above which two texts are the same article.
pub const NEAR_DUPLICATE_JACCARD: f64 = 0.7;

pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// SplitMix64 finaliser: a strong, fixed 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a hashes of the lower-cased alphanumeric words, without allocating a string
/// per word (this runs over every byte of every article at ingest).
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            for lc in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &b in lc.encode_utf8(&mut buf).as_bytes() {
                    h ^= b as u64;
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
            }
            in_word = true;
        } else if in_word {
            out.push(h);
            h = 0xcbf2_9ce4_8422_2325;
            in_word = false;
        }
    }
    if in_word {
        out.push(h);
    }
    out
}

/// The exact set of shingle hashes, for verifying a candidate pair: the MinHash estimate
/// is loose on very short texts (a few shingles spread over 64 bins), where two
/// bulletins that differ only in their numbers could otherwise pass as copies.
pub fn shingle_set(text: &str) -> std::collections::HashSet<u64> {
    let words = word_hashes(text);
    let n = words.len().saturating_sub(SHINGLE - 1).max(1);
    (0..n.min(words.len()))
        .map(|i| mix(words[i..(i + SHINGLE).min(words.len())].iter().fold(0u64, |acc, &w| acc.rotate_left(21) ^ w)))
        .collect()
}

/// Exact Jaccard similarity of two shingle sets.
pub fn jaccard(a: &std::collections::HashSet<u64>, b: &std::collections::HashSet<u64>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 { 1.0 } else { inter as f64 / union as f64 }
}

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinHash(pub [u32; MINHASH_SIZE]);

impl MinHash {
    pub fn of(text: &str) -> MinHash {
        // One-permutation hashing (Li, Owen & Zhang 2012): each shingle is hashed once;
        // its low bits choose one of the 64 bins and the rest compete for that bin's
        // minimum. Empty bins are filled by rotation densification (Shrivastava & Li
        // 2014), so the signature estimates Jaccard like 64 separate hash functions at
        // 1/64 of the cost.
        let words = word_hashes(text);
        let mut sig = [u32::MAX; MINHASH_SIZE];
        if words.is_empty() {
            return MinHash(sig);
        }
        let n = words.len().saturating_sub(SHINGLE - 1).max(1);
        for i in 0..n {
            // (same shingle hash as `shingle_set`)
            // Order-sensitive combination of the shingle's word hashes.
            let h = mix(words[i..(i + SHINGLE).min(words.len())].iter().fold(0u64, |acc, &w| acc.rotate_left(21) ^ w));
            let bin = (h % MINHASH_SIZE as u64) as usize;
            let value = (h >> 32) as u32;
            if value < sig[bin] {
                sig[bin] = value;
            }
        }
        let filled: Vec<bool> = sig.iter().map(|&v| v != u32::MAX).collect();
        for bin in 0..MINHASH_SIZE {
            if !filled[bin] {
                // Borrow from the next filled bin to the right, offset by the distance so
                // two texts agree on a borrowed bin only when they agree on the source.
                let (dist, src) = (1..MINHASH_SIZE).map(|d| (d, (bin + d) % MINHASH_SIZE)).find(|&(_, b)| filled[b]).unwrap();
                sig[bin] = (mix(sig[src] as u64 ^ (dist as u64) << 40) >> 32) as u32;
            }
        }
        MinHash(sig)
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &MinHash) -> f64 {
        let same = self.0.iter().zip(other.0.iter()).filter(|(a, b)| a == b).count();
        same as f64 / MINHASH_SIZE as f64
    }

    /// One hash per LSH band, for candidate look-up.
    pub fn bands(&self) -> [i64; BANDS] {
        let mut out = [0i64; BANDS];
        for (b, slot) in out.iter_mut().enumerate() {
            let mut bytes = Vec::with_capacity(ROWS * 4 + 1);
            bytes.push(b as u8);
            for v in &self.0[b * ROWS..(b + 1) * ROWS] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            *slot = fnv1a(&bytes) as i64;
        }
        out
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<MinHash> {
        if bytes.len() != MINHASH_SIZE * 4 {
            return None;
        }
        let mut sig = [0u32; MINHASH_SIZE];
        for (i, chunk) in bytes.chunks_exact(4).enumerate() {
            sig[i] = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(MinHash(sig))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // News-report length: SimHash distances shrink as texts grow, and a 60-word text
    // with seven words of header and boilerplate added already differs by about 8 bits.
    const STORY: &str = "Russian forces recaptured the village near the border on Tuesday, the ministry said. \
        Ukrainian commanders said their units had pulled back to prepared positions after days of shelling. \
        Local officials reported that civilians were being evacuated from three settlements in the district, \
        and that the bridge over the river had been damaged by a drone strike overnight. \
        The regional governor said two people were killed and five wounded when artillery hit a residential street \
        on the edge of the district centre late on Monday. Emergency crews worked through the night to put out fires \
        in several houses and a warehouse, according to the state emergency service. \
        A spokesman for the army group operating in the area said the village had changed hands twice in a week \
        and that fighting continued on its western outskirts. He said the defenders had destroyed four armoured vehicles \
        and shot down eleven drones, a figure that could not be independently verified. \
        The ministry in Moscow said its troops had taken control of the settlement after clearing the last positions \
        held by Ukrainian units, and published a video it said showed soldiers raising a flag over the school. \
        Residents who left the area on Sunday described constant shelling and said most of the remaining population \
        were elderly people who had refused to leave their homes. Aid groups said they had lost contact with volunteers \
        who had been delivering food and medicine to the village until last week.";

    #[test]
    fn syndicated_copy_is_near_duplicate() {
        let copy = format!("Reuters\n\n{}\n\nRead more: subscribe to our newsletter.", STORY.replace(',', ""));
        let s = MinHash::of(STORY).similarity(&MinHash::of(&copy));
        assert!(s >= NEAR_DUPLICATE_JACCARD, "similarity {s}");
        let shared = MinHash::of(STORY).bands().iter().zip(MinHash::of(&copy).bands()).filter(|(a, b)| **a == *b).count();
        assert!(shared > 0, "no shared LSH band");
    }

    #[test]
    fn templated_bulletins_are_not_copies_of_each_other() {
        let a = "Report 17: shelling near village number 17 was reported on day 3.";
        let b = "Report 18: shelling near village number 18 was reported on day 4.";
        assert!(jaccard(&shingle_set(a), &shingle_set(b)) < NEAR_DUPLICATE_JACCARD);
        assert_eq!(jaccard(&shingle_set(a), &shingle_set(a)), 1.0);
    }

    #[test]
    fn different_story_is_far() {
        let other = "The central bank raised interest rates by half a point on Wednesday, citing inflation \
            that has stayed above target for eleven months, and signalled more increases could follow.";
        assert!(MinHash::of(STORY).similarity(&MinHash::of(other)) < 0.2);
    }

    #[test]
    fn signature_round_trips_and_is_stable() {
        let m = MinHash::of(STORY);
        assert_eq!(MinHash::from_bytes(&m.to_bytes()), Some(m.clone()));
        assert_eq!(MinHash::of(STORY), m);
        assert_eq!(content_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
