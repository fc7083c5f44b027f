pub mod claims;
pub mod docs;
pub mod ingest;
pub mod language;
pub mod process;
pub mod reconcile;
pub mod serve;

/// A `--since`/`--until` value must be a calendar date; say which flag when it is not.
pub fn check_date(flag: &str, value: &Option<String>) -> anyhow::Result<()> {
    use anyhow::Context;
    if let Some(d) = value {
        d.parse::<jiff::civil::Date>().with_context(|| format!("{flag} {d:?} is not a date (YYYY-MM-DD)"))?;
    }
    Ok(())
}
