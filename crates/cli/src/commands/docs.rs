//! `sitrep docs` and `sitrep show`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use sitrep_store::Store;

use crate::table;

#[derive(clap::Args)]
pub struct DocsArgs {
    /// Print JSON Lines instead of a table.
    #[arg(long)]
    json: bool,
    /// At most this many articles.
    #[arg(long)]
    limit: Option<usize>,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// Article id, a unique prefix of it (at least 4 hex digits), or the file it was read from.
    doc: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn list(db: &Path, args: DocsArgs) -> Result<ExitCode> {
    let store = Store::open(db)?;
    let rows = store.list_articles(args.limit)?;
    if args.json {
        for r in &rows {
            println!("{}", serde_json::to_string(r)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table::new(&["id", "outlet", "date", "title", "words"]);
    for r in &rows {
        let date = match (&r.published, r.published_inferred) {
            (Some(d), true) => format!("{d} (inferred)"),
            (Some(d), false) => d.clone(),
            (None, _) => "—".into(),
        };
        t.add_row(vec![
            r.id.clone(),
            r.outlet.clone().unwrap_or_else(|| "—".into()),
            date,
            table::clip(r.title.as_deref().unwrap_or("—"), 60),
            r.words.to_string(),
        ]);
    }
    println!("{t}");
    eprintln!("{} article(s) in {}", rows.len(), db.display());
    Ok(ExitCode::SUCCESS)
}

pub fn show(db: &Path, args: ShowArgs) -> Result<ExitCode> {
    let store = Store::open(db)?;
    let Some(article) = store.get_article(&args.doc)? else {
        bail!("no article matches {:?}: give an id, a unique id prefix or the file name (see `sitrep docs`)", args.doc);
    };
    let copies = store.article_copies(&article.id)?;
    if args.json {
        let v = serde_json::json!({ "article": article, "copies": copies });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    println!("id:        {}", article.id);
    println!("title:     {}", dash(&article.title));
    println!("outlet:    {}", dash(&article.outlet));
    println!("url:       {}", dash(&article.url));
    let inferred = if article.published_inferred { " (inferred from the text)" } else { "" };
    println!("published: {}{inferred}", dash(&article.published));
    println!("format:    {}   words: {}   characters: {}", article.format, article.words, article.chars);
    println!("from:      {}", article.origin);
    if copies.len() > 1 {
        println!("carried by {} copies:", copies.len());
        for c in &copies {
            println!(
                "  - {:<8} {} {} {}",
                c.relation,
                dash(&c.outlet),
                c.url.as_deref().unwrap_or(""),
                if c.relation == "near" { format!("(similarity {:.2}) {}", c.similarity, c.origin) } else { c.origin.clone() }
            );
        }
    }
    println!();
    println!("{}", article.text.unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}
