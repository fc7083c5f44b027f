//! Synthetic claims for benchmarks: a year of reports about a few thousand places, with
//! the mix of undated, vague, placeless and numeric claims that real extraction gives.
//! Names and ids are made up (`place-17`), not pretending to be real places.

use crate::model::{ClaimInput, PlaceRef, QuantityRef, SourceRef};
use crate::time::date_string;

const TYPES: [&str; 16] = [
    "ground_attack",
    "advance",
    "capture",
    "withdrawal",
    "encirclement",
    "strike",
    "repelled",
    "deployment",
    "casualties",
    "prisoners",
    "evacuation",
    "fortification",
    "aid",
    "diplomacy",
    "threat",
    "weapons",
];
const AGENTS: [Option<&str>; 4] = [Some("RUSMIL"), Some("UKRMIL"), Some("PRKMIL"), None];
const STANCES: [&str; 8] =
    ["asserted", "asserted", "asserted", "asserted", "denied", "unconfirmed", "possible", "planned"];

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` claims in articles of 68 claims each.
pub fn claims(n: usize) -> Vec<ClaimInput> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let epoch = crate::time::day_number("2025-01-01").unwrap();
    (0..n)
        .map(|i| {
            let article = i / 68;
            let published = epoch + (article as i32 * 365 / (n / 68 + 1) as i32);
            let region = rng.below(25);
            let country = if region < 20 { "UA" } else { "RU" };
            let place = match rng.below(10) {
                0..=3 => None,
                4 => Some(PlaceRef {
                    name: format!("Region {region}"),
                    gazetteer_id: Some(format!("synthetic:r{region}")),
                    feature: Some("region".into()),
                    admin1: Some(format!("Region {region}")),
                    country: Some(country.into()),
                    lat: Some(48.0),
                    lon: Some(35.0),
                }),
                _ => {
                    let p = rng.below(2000);
                    Some(PlaceRef {
                        name: format!("place-{p}"),
                        gazetteer_id: Some(format!("synthetic:p{p}")),
                        feature: Some("village".into()),
                        admin1: Some(format!("Region {}", p % 25)),
                        country: Some(if p % 25 < 20 { "UA" } else { "RU" }.into()),
                        lat: Some(48.0),
                        lon: Some(35.0),
                    })
                }
            };
            let when = match rng.below(10) {
                0..=2 => None,
                3 => Some((date_string(published - 200), date_string(published))),
                _ => {
                    let d = published - rng.below(5) as i32;
                    Some((date_string(d), date_string(d)))
                }
            };
            let quantity = (rng.below(10) == 0).then(|| {
                let v = (1 + rng.below(100)) as f64 * 1000.0;
                QuantityRef {
                    value: Some(v),
                    min: None,
                    max: None,
                    unit: Some("troops".into()),
                    text: format!("{v} troops"),
                }
            });
            let s = rng.below(40);
            let source = if s < 12 {
                SourceRef { name: "outlet".into(), kind: "outlet".into(), side: None }
            } else {
                let side = ["RUS", "UKR", "USA", "GBR"][(s % 4) as usize];
                SourceRef { name: format!("source-{s}"), kind: "official".into(), side: Some(side.into()) }
            };
            ClaimInput {
                id: format!("{:016x}", rng.next()),
                article_id: format!("{article:016x}"),
                order: (article as i64, (i % 68) as i64),
                outlet: Some(format!("outlet-{}", article % 50)),
                published: Some(date_string(published)),
                claim_type: TYPES[rng.below(16) as usize].into(),
                stance: STANCES[rng.below(8) as usize].into(),
                agent: AGENTS[rng.below(4) as usize].map(str::to_string),
                target: None,
                place,
                when,
                quantity,
                source,
            }
        })
        .collect()
}
