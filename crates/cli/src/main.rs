//! The `sitrep` command line.

mod commands;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// sitrep turns conflict news reports into a sourced, geolocated, time-resolved ledger
/// of claims: who says what happened, where, when and how many.
///
/// Typical session:
///   sitrep ingest articles/        # read text, HTML, RSS/Atom and JSONL files
///   sitrep docs                    # list what was stored
///   sitrep show 0cfe8bfd           # one article with its metadata
#[derive(Parser)]
#[command(name = "sitrep", version, about, long_about, max_term_width = 100)]
struct Cli {
    /// SQLite database file (created if missing).
    #[arg(long, global = true, env = "SITREP_DB", default_value = "sitrep.db")]
    db: PathBuf,

    /// Folder of lexicon files laid over the built-in ones (see lexicons/README.md).
    #[arg(long, global = true, env = "SITREP_LEXICONS")]
    lexicons: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles from files, folders (recursively) or `-` (stdin) and store each once.
    ///
    /// Formats are detected by content: plain text (with an optional `date YYYY-MM-DD`
    /// first line or `title:`/`url:`/`outlet:`/`date:` header lines), HTML pages,
    /// RSS 2.0 and Atom feeds, and JSON Lines (`text` or `html`, with optional `title`,
    /// `url`, `outlet`, `published`). Exact and near-identical copies are stored once,
    /// with every outlet that carried them. Bad inputs are reported and skipped.
    ///
    /// Exit status: 0 when everything was read, 2 when some input was rejected,
    /// 1 on a fatal error (for example an unwritable database).
    Ingest(commands::ingest::Args),
    /// List stored articles: id, outlet, date, title, words.
    Docs(commands::docs::DocsArgs),
    /// Print one stored article with its metadata and the outlets that carried it.
    Show(commands::docs::ShowArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(&cli.db, args),
        Command::Docs(args) => commands::docs::list(&cli.db, args),
        Command::Show(args) => commands::docs::show(&cli.db, args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sitrep: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
