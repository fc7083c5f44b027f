//! Storing articles once: exact copies by content hash, near-identical (syndicated)
//! copies by MinHash over LSH bands, every copy's outlet recorded in `article_copies`.

use anyhow::Result;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sitrep_ingest::fingerprint::{content_hash, jaccard, shingle_set, MinHash, BANDS, NEAR_DUPLICATE_JACCARD};
use sitrep_ingest::Article;

use crate::Store;

/// What storing one article did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum InsertOutcome {
    /// A new article.
    Stored { id: String },
    /// This very input was stored before: nothing changed.
    Unchanged { id: String },
    /// A copy of a stored article (byte-identical text from elsewhere, or near-identical):
    /// recorded as another outlet of `id`, not stored again.
    Duplicate { id: String, near: bool, similarity: f64 },
}

impl InsertOutcome {
    pub fn id(&self) -> &str {
        match self {
            InsertOutcome::Stored { id } | InsertOutcome::Unchanged { id } | InsertOutcome::Duplicate { id, .. } => id,
        }
    }
}

/// An article with the fingerprints deduplication needs, and the counts stored with it:
/// all computed by the caller's parallel step, so the single writer only writes.
#[derive(Debug, Clone)]
pub struct Fingerprinted {
    pub article: Article,
    content_hash: String,
    minhash: MinHash,
    bands: [i64; BANDS],
    words: i64,
    chars: i64,
}

impl Fingerprinted {
    pub fn new(article: Article) -> Fingerprinted {
        let minhash = MinHash::of(&article.text);
        Fingerprinted {
            content_hash: content_hash(&article.text),
            bands: minhash.bands(),
            minhash,
            words: article.text.split_whitespace().count() as i64,
            chars: article.text.chars().count() as i64,
            article,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleRow {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub published_inferred: bool,
    pub format: String,
    pub origin: String,
    pub words: i64,
    pub chars: i64,
    pub ingested_at: String,
    /// Present only when asked for (`get_article`), not in listings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutletRow {
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub origin: String,
    pub relation: String,
    pub similarity: f64,
}

/// Near-duplicates must also be of comparable length: a short brief is not a copy of
/// the long feature that quotes it, even when their MinHashes happen to be close.
const NEAR_LENGTH_RATIO: f64 = 0.8;

/// How many stored articles are compared with a new one, at most: those that share the
/// most LSH bands with it.
const MAX_BAND_CANDIDATES: usize = 64;

/// How many articles of one LSH bucket are looked up, at most.
const BUCKET_CANDIDATES: usize = 16;

static BAND_LOOKUP: std::sync::OnceLock<String> = std::sync::OnceLock::new();

impl Store {
    /// Store a batch of articles in one transaction, in order.
    pub fn insert_articles(&mut self, articles: &[Article]) -> Result<Vec<InsertOutcome>> {
        let fingerprinted: Vec<Fingerprinted> = articles.iter().cloned().map(Fingerprinted::new).collect();
        self.insert_fingerprinted(&fingerprinted)
    }

    /// Store articles whose fingerprints were computed already (in parallel, by the
    /// caller), in one transaction, in order.
    pub fn insert_fingerprinted(&mut self, articles: &[Fingerprinted]) -> Result<Vec<InsertOutcome>> {
        let tx = self.conn_mut().transaction()?;
        let mut out = Vec::with_capacity(articles.len());
        let mut batch = Batch::default();
        for a in articles {
            if batch.signatures.len() > MAX_SIGNATURES {
                batch.signatures.clear();
            }
            out.push(insert_one(&tx, a, &mut batch)?);
        }
        batch.write_lsh(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn list_articles(&self, limit: Option<usize>) -> Result<Vec<ArticleRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT id,title,url,outlet,published,published_inferred,format,origin,words,chars,ingested_at
             FROM articles ORDER BY published IS NULL, published, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit.map(|l| l as i64).unwrap_or(-1)], |r| row_to_article(r, false))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One article by id, or by a unique id prefix (at least 4 hex digits).
    pub fn get_article(&self, id_or_prefix: &str) -> Result<Option<ArticleRow>> {
        let id = match self.resolve_article_id(id_or_prefix)? {
            Some(id) => id,
            None => return Ok(None),
        };
        let row = self
            .conn()
            .query_row(
                "SELECT id,title,url,outlet,published,published_inferred,format,origin,words,chars,ingested_at,text
                 FROM articles WHERE id = ?1",
                [&id],
                |r| row_to_article(r, true),
            )
            .optional()?;
        Ok(row)
    }

    /// An article id from a full id, a unique id prefix (at least 4 hex digits), or the
    /// path or file name (with or without extension) it was read from.
    pub fn resolve_article_id(&self, key: &str) -> Result<Option<String>> {
        // A full id is the common case (every pipeline look-up): one indexed probe.
        let exact: Option<String> =
            self.conn().query_row("SELECT id FROM articles WHERE id = ?1", [key], |r| r.get(0)).optional()?;
        if exact.is_some() {
            return Ok(exact);
        }
        if key.len() >= 4 && key.chars().all(|c| c.is_ascii_hexdigit()) {
            let pattern = format!("{}%", key.to_ascii_lowercase());
            let mut stmt = self.conn().prepare("SELECT id FROM articles WHERE id LIKE ?1 LIMIT 2")?;
            let ids: Vec<String> = stmt.query_map([pattern], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            if ids.len() == 1 {
                return Ok(ids.into_iter().next());
            }
        }
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT article_id FROM article_copies
             WHERE origin = ?1 OR origin LIKE '%/' || ?1 OR origin LIKE '%/' || ?1 || '.%' OR origin LIKE ?1 || '.%' LIMIT 2",
        )?;
        let ids: Vec<String> = stmt.query_map([key], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(if ids.len() == 1 { ids.into_iter().next() } else { None })
    }

    pub fn article_copies(&self, id: &str) -> Result<Vec<OutletRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT outlet,url,origin,relation,similarity FROM article_copies WHERE article_id = ?1
             ORDER BY relation != 'original', origin",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(OutletRow { outlet: r.get(0)?, url: r.get(1)?, origin: r.get(2)?, relation: r.get(3)?, similarity: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_articles(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?)
    }
}

pub(crate) fn row_to_article(r: &rusqlite::Row, with_text: bool) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        title: r.get(1)?,
        url: r.get(2)?,
        outlet: r.get(3)?,
        published: r.get(4)?,
        published_inferred: r.get(5)?,
        format: r.get(6)?,
        origin: r.get(7)?,
        words: r.get(8)?,
        chars: r.get(9)?,
        ingested_at: r.get(10)?,
        text: if with_text { r.get(11)? } else { None },
    })
}

/// The id, signature and length of each article looked at (or stored) in this
/// transaction, by `article_signatures.seq`. The articles of a crowded LSH bucket are
/// candidates for many of a batch's articles, and reading them from the database each
/// time was most of an insert's cost. Kept for one transaction only, in which no other
/// writer can change them.
type Signatures = std::collections::HashMap<i64, Option<Signature>>;

/// What one transaction keeps in memory: the signatures above, and the LSH entries of the
/// articles it stored, written at its end in key order. Random keys inserted one by one
/// touched a different page of `article_lsh` each (16 per article, the most of any
/// index); in key order each page is visited at most once per batch.
#[derive(Default)]
struct Batch {
    signatures: Signatures,
    lsh: std::collections::HashMap<i64, Vec<i64>>,
}

impl Batch {
    fn write_lsh(&mut self, tx: &Transaction) -> Result<()> {
        let mut rows: Vec<(i64, i64)> =
            self.lsh.drain().flat_map(|(bucket, seqs)| seqs.into_iter().map(move |s| (bucket, s))).collect();
        rows.sort_unstable();
        let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO article_lsh (bucket, seq) VALUES (?1, ?2)")?;
        for (bucket, seq) in rows {
            stmt.execute([bucket, seq])?;
        }
        Ok(())
    }
}

struct Signature {
    id: String,
    minhash: MinHash,
    chars: i64,
}

/// An LSH band's key in `article_lsh`: the band number above the low 56 bits of its hash
/// (migration 7 computes the same from the old table in SQL).
fn lsh_bucket(band: usize, hash: i64) -> i64 {
    ((band as i64) << 56) | (hash & 0x00FF_FFFF_FFFF_FFFF)
}

/// Beyond this many (some 10 MB) the signatures are forgotten and read again as needed:
/// a batch of unrelated articles with full candidate lists would otherwise hold up to
/// 64 per article.
const MAX_SIGNATURES: usize = 30_000;

fn insert_one(tx: &Transaction, f: &Fingerprinted, batch: &mut Batch) -> Result<InsertOutcome> {
    let (a, hash, minhash, chars) = (&f.article, &f.content_hash, &f.minhash, f.chars);
    // Cached statements throughout: preparing them anew cost as much as some look-ups.
    // Exact copy of something stored?
    let existing: Option<String> = tx
        .prepare_cached("SELECT article_id FROM article_copies WHERE content_hash = ?1 LIMIT 1")?
        .query_row([hash], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        let seen: bool = tx
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM article_copies WHERE content_hash = ?1 AND origin = ?2)")?
            .query_row(params![hash, &a.origin], |r| r.get(0))?;
        if seen {
            return Ok(InsertOutcome::Unchanged { id });
        }
        let relation = if is_original(tx, &id, hash)? { "exact" } else { "near" };
        add_copy(tx, &id, hash, a, relation, 1.0)?;
        return Ok(InsertOutcome::Duplicate { id, near: false, similarity: 1.0 });
    }
    if let Some((id, similarity)) = near_duplicate(tx, &a.text, minhash, &f.bands, chars, batch)? {
        add_copy(tx, &id, hash, a, "near", similarity)?;
        return Ok(InsertOutcome::Duplicate { id, near: true, similarity });
    }
    let id = hash[..16].to_string();
    tx.prepare_cached(
        "INSERT INTO articles (id,content_hash,minhash,title,url,outlet,published,format,origin,text,words,chars)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    )?
    .execute(params![
        id, hash, minhash.to_bytes(), a.title, a.url, a.outlet, a.published,
        a.format.as_str(), a.origin, a.text, f.words, chars
    ])?;
    tx.prepare_cached("INSERT INTO article_signatures (article_id, chars, minhash) VALUES (?1, ?2, ?3)")?
        .execute(params![id, chars, minhash.to_bytes()])?;
    let seq = tx.last_insert_rowid();
    for (b, h) in f.bands.iter().enumerate() {
        batch.lsh.entry(lsh_bucket(b, *h)).or_default().push(seq);
    }
    add_copy(tx, &id, hash, a, "original", 1.0)?;
    batch.signatures.insert(seq, Some(Signature { id: id.clone(), minhash: minhash.clone(), chars }));
    Ok(InsertOutcome::Stored { id })
}

fn is_original(tx: &Transaction, id: &str, hash: &str) -> Result<bool> {
    let mut stmt = tx.prepare_cached("SELECT content_hash = ?2 FROM articles WHERE id = ?1")?;
    Ok(stmt.query_row(params![id, hash], |r| r.get(0))?)
}

/// The most similar stored article whose MinHash shares an LSH band with this one and
/// passes the length check, the MinHash estimate and then the exact shingle Jaccard.
fn near_duplicate(
    tx: &Transaction,
    text: &str,
    minhash: &MinHash,
    bands: &[i64; BANDS],
    chars: i64,
    batch: &mut Batch,
) -> Result<Option<(String, f64)>> {
    // One statement for all 16 bands, each capped: a bucket shared by many articles
    // (templated bulletins, alerts) says little and would make every insert scan it.
    let mut found: Vec<i64> = {
        let mut stmt = tx.prepare_cached(BAND_LOOKUP.get_or_init(|| {
            // UNION ALL of indexed probes: SQLite plans `bucket IN (...)` as a scan of the
            // index, which made ingest slow down as the corpus grew.
            let probes: Vec<String> = (0..BANDS)
                .map(|b| {
                    format!("SELECT seq FROM (SELECT seq FROM article_lsh WHERE bucket = ?{} LIMIT {BUCKET_CANDIDATES})", b + 1)
                })
                .collect();
            probes.join(" UNION ALL ")
        }))?;
        let buckets: Vec<i64> = bands.iter().enumerate().map(|(b, h)| lsh_bucket(b, *h)).collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(buckets.iter()), |r| r.get::<_, i64>(0))?;
        let mut found: Vec<i64> = rows.collect::<rusqlite::Result<_>>()?;
        // And this transaction's articles, whose entries are not written yet.
        for bucket in &buckets {
            found.extend(batch.lsh.get(bucket).into_iter().flatten().take(BUCKET_CANDIDATES));
        }
        found
    };
    // A candidate must share two bands or more. Articles that share one sentence or
    // template share one band now and then, and each such candidate cost a signature read
    // from anywhere in the store, the more the larger it grew; a real copy (Jaccard 0.8
    // and up) shares two or more with probability above 0.99, and at the 0.7 threshold,
    // of the pairs whose MinHash estimate passes, about 93%.
    found.sort_unstable();
    let mut candidates: Vec<(usize, i64)> =
        found.chunk_by(|a, b| a == b).filter(|run| run.len() >= 2).map(|run| (run.len(), run[0])).collect();
    candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.truncate(MAX_BAND_CANDIDATES);
    let mut best: Option<(String, f64)> = None;
    let mut shingles = None;
    let mut stmt = tx.prepare_cached("SELECT article_id, minhash, chars FROM article_signatures WHERE seq = ?1")?;
    let mut text_stmt = tx.prepare_cached("SELECT text FROM articles WHERE id = ?1")?;
    for (_, seq) in candidates {
        if !batch.signatures.contains_key(&seq) {
            let (id, bytes, chars): (String, Vec<u8>, i64) =
                stmt.query_row([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            batch.signatures.insert(seq, MinHash::from_bytes(&bytes).map(|minhash| Signature { id, minhash, chars }));
        }
        let Some(other) = &batch.signatures[&seq] else { continue };
        let ratio = chars.min(other.chars) as f64 / chars.max(other.chars).max(1) as f64;
        if ratio < NEAR_LENGTH_RATIO || minhash.similarity(&other.minhash) < NEAR_DUPLICATE_JACCARD {
            continue;
        }
        let other_text: String = text_stmt.query_row([&other.id], |r| r.get(0))?;
        let mine = shingles.get_or_insert_with(|| shingle_set(text));
        let sim = jaccard(mine, &shingle_set(&other_text));
        if sim >= NEAR_DUPLICATE_JACCARD && best.as_ref().is_none_or(|(_, b)| sim > *b) {
            best = Some((other.id.clone(), sim));
        }
    }
    Ok(best)
}

fn add_copy(tx: &Transaction, id: &str, hash: &str, a: &Article, relation: &str, similarity: f64) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO article_copies (article_id,content_hash,outlet,url,title,published,origin,relation,similarity)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    )?
    .execute(params![id, hash, a.outlet, a.url, a.title, a.published, a.origin, relation, similarity])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_ingest::Format;

    fn art(origin: &str, outlet: &str, text: &str) -> Article {
        Article {
            title: None,
            url: None,
            outlet: Some(outlet.into()),
            published: Some("2025-03-21".into()),
            text: text.into(),
            format: Format::Text,
            origin: origin.into(),
        }
    }

    const TEXT: &str = "Russian forces recaptured the village near the border on Tuesday, the ministry said. \
        Ukrainian commanders said their units had pulled back to prepared positions after days of shelling. \
        Local officials reported that civilians were being evacuated from three settlements in the district, \
        and that the bridge over the river had been damaged by a drone strike overnight, leaving two towns cut off.";

    #[test]
    fn same_input_twice_is_unchanged() {
        let mut s = Store::open_in_memory().unwrap();
        let first = s.insert_articles(&[art("a.txt", "A", TEXT)]).unwrap();
        let again = s.insert_articles(&[art("a.txt", "A", TEXT)]).unwrap();
        assert!(matches!(first[0], InsertOutcome::Stored { .. }));
        assert_eq!(again[0], InsertOutcome::Unchanged { id: first[0].id().to_string() });
        assert_eq!(s.count_articles().unwrap(), 1);
        assert_eq!(s.article_copies(first[0].id()).unwrap().len(), 1);
    }

    #[test]
    fn exact_and_near_copies_are_recorded_not_stored() {
        let mut s = Store::open_in_memory().unwrap();
        let near_text = format!("Reuters\n\n{}\n\nRead more about the war.", TEXT.replace(",", ""));
        let out = s
            .insert_articles(&[art("a.txt", "Outlet A", TEXT), art("b.txt", "Outlet B", TEXT), art("c.txt", "Outlet C", &near_text)])
            .unwrap();
        let id = out[0].id().to_string();
        assert_eq!(out[1], InsertOutcome::Duplicate { id: id.clone(), near: false, similarity: 1.0 });
        assert!(matches!(&out[2], InsertOutcome::Duplicate { id: i, near: true, .. } if *i == id), "{:?}", out[2]);
        assert_eq!(s.count_articles().unwrap(), 1);
        let outlets: Vec<_> = s.article_copies(&id).unwrap().into_iter().map(|c| c.outlet.unwrap()).collect();
        assert_eq!(outlets, ["Outlet A", "Outlet B", "Outlet C"]);
    }

    #[test]
    fn near_copy_in_a_later_batch_is_found_in_the_database() {
        // The first batch's signatures are gone with its transaction: the second batch
        // reads the candidate's signature from article_signatures.
        let mut s = Store::open_in_memory().unwrap();
        let id = s.insert_articles(&[art("a.txt", "Outlet A", TEXT)]).unwrap()[0].id().to_string();
        let near_text = format!("Reuters\n\n{}\n\nRead more about the war.", TEXT.replace(",", ""));
        let out = s.insert_articles(&[art("c.txt", "Outlet C", &near_text)]).unwrap();
        assert!(matches!(&out[0], InsertOutcome::Duplicate { id: i, near: true, .. } if *i == id), "{:?}", out[0]);
        assert_eq!(s.count_articles().unwrap(), 1);
    }

    #[test]
    fn different_articles_are_both_stored() {
        let mut s = Store::open_in_memory().unwrap();
        let other = "The central bank raised interest rates by half a point on Wednesday, citing inflation.";
        s.insert_articles(&[art("a.txt", "A", TEXT), art("b.txt", "B", other)]).unwrap();
        assert_eq!(s.count_articles().unwrap(), 2);
    }

    #[test]
    fn lookup_by_prefix() {
        let mut s = Store::open_in_memory().unwrap();
        let id = s.insert_articles(&[art("a.txt", "A", TEXT)]).unwrap()[0].id().to_string();
        assert_eq!(s.get_article(&id[..6]).unwrap().unwrap().id, id);
        assert!(s.get_article("zz").unwrap().is_none());
        assert_eq!(s.get_article("a").unwrap().unwrap().id, id, "by file stem");
        assert_eq!(s.get_article("a.txt").unwrap().unwrap().id, id, "by file name");
    }
}
