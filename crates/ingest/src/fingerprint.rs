//! Fingerprints for deduplication.
//!
//! * `content_hash`: SHA-256 of the clean text, for exact copies.
//! * `simhash`: a 64-bit SimHash over word 4-shingles of the *normalised* text (lower
//!   case, letters and digits only), so syndicated copies that differ in header lines,
//!   boilerplate or punctuation land within a few bits of each other.
//!
//! The shingle hash is FNV-1a, written here because the fingerprints are stored in the
//! database and must never change across crate versions or platforms (std's hasher
//! makes no such promise).

use sha2::{Digest, Sha256};

/// Two SimHashes this close (Hamming distance) are the same article.
pub const NEAR_DUPLICATE_BITS: u32 = 3;

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

/// Lower-cased alphanumeric words; shared by the SimHash and the word count.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase())
}

pub fn simhash(text: &str) -> u64 {
    let words: Vec<String> = words(text).collect();
    if words.is_empty() {
        return 0;
    }
    let mut acc = [0i32; 64];
    let n = if words.len() >= 4 { words.len() - 3 } else { 1 };
    for i in 0..n {
        let shingle = words[i..(i + 4).min(words.len())].join(" ");
        let h = fnv1a(shingle.as_bytes());
        for (bit, slot) in acc.iter_mut().enumerate() {
            *slot += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    acc.iter().enumerate().fold(0u64, |h, (bit, &v)| if v > 0 { h | 1 << bit } else { h })
}

pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// The four 16-bit bands of a SimHash. Two hashes within 3 bits share at least one band
/// exactly (pigeonhole), so the store finds candidates with four indexed equality lookups.
pub fn bands(h: u64) -> [u16; 4] {
    [h as u16, (h >> 16) as u16, (h >> 32) as u16, (h >> 48) as u16]
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
        assert!(hamming(simhash(STORY), simhash(&copy)) <= NEAR_DUPLICATE_BITS, "distance {}", hamming(simhash(STORY), simhash(&copy)));
    }

    #[test]
    fn different_story_is_far() {
        let other = "The central bank raised interest rates by half a point on Wednesday, citing inflation \
            that has stayed above target for eleven months, and signalled more increases could follow.";
        assert!(hamming(simhash(STORY), simhash(other)) > 10);
    }

    #[test]
    fn content_hash_is_stable() {
        assert_eq!(content_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn bands_cover_the_hash() {
        let h = 0x1234_5678_9abc_def0u64;
        assert_eq!(bands(h), [0xdef0, 0x9abc, 0x5678, 0x1234]);
    }
}
