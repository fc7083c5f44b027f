//! The `sitrep` command line.

mod commands;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// mimalloc: the pipeline allocates many small strings and vectors per sentence, and the
// system allocator's malloc and free were a quarter of the analysis's instructions.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same index in mimalloc.h v2 and v3; the sys
/// crate exports no constant for it).
const MI_OPTION_PURGE_DELAY: libc::c_int = 15;

/// A batch command keeps the memory it freed instead of handing it back to the OS after
/// a delay: each chunk of articles allocates about what the last one freed, and every
/// page handed back came back as a page fault and a zeroed page (9-12% of `sitrep
/// extract`'s CPU time on 1,000 generated articles; peak memory grows by about a sixth).
/// The server keeps the default, so an idle server shrinks again.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores an integer option; it is safe to call any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Shown under `--help` as written (clap reflows doc comments into paragraphs).
const TYPICAL_SESSION: &str = "Typical session:
  sitrep ingest articles/        # read text, HTML, RSS/Atom and JSONL files
  sitrep docs                    # list what was stored
  sitrep show 0cfe8bfd           # one article with its metadata
  sitrep extract                 # places, times, quantities and claims of new articles
  sitrep claims --type capture   # the claims, filtered
  sitrep explain 3f2a9c1e        # why a claim was extracted
  sitrep export --format jsonl   # the ledger in the CLAIMS.md contract
  sitrep report                  # events, contradictions, control and numbers
  sitrep serve                   # the API and the web page on http://127.0.0.1:8080/
";

/// sitrep turns conflict news reports into a sourced, geolocated, time-resolved ledger
/// of claims: who says what happened, where, when and how many.
#[derive(Parser)]
#[command(name = "sitrep", version, about, long_about, after_help = TYPICAL_SESSION, max_term_width = 100)]
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
    /// Places, times and quantities found in one article, with character spans.
    Mentions(commands::language::MentionsArgs),
    /// The gazetteer: import GeoNames dumps, show counts, look names up.
    #[command(subcommand)]
    Gazetteer(commands::language::GazetteerCommand),
    /// Run the language layer and claim extraction over stored articles (only new ones
    /// unless --all) and store mentions and claims.
    Extract(commands::claims::ExtractArgs),
    /// List claims, filtered by type, place, source, date range and stance.
    Claims(commands::claims::ClaimsArgs),
    /// Write claims as JSON Lines (the CLAIMS.md contract), CSV or GeoJSON.
    Export(commands::claims::ExportArgs),
    /// Show one claim's sentence with its trigger, agent, place, time, source and stance
    /// cue highlighted, and which lexicon entries fired.
    Explain(commands::claims::ExplainArgs),
    /// Direct quotations with their speakers.
    Quotes(commands::claims::QuotesArgs),
    /// Group claims from all articles into events, count their independent sources,
    /// find contradictions, and build the control ledger and the numbers (`extract` runs
    /// this too; the listing commands below run it when claims changed).
    Reconcile,
    /// Events: claims from different articles about the same happening, with their
    /// corroboration by side.
    Events(commands::reconcile::EventsArgs),
    /// Pairs of claims that cannot both be true: asserted vs denied, opposite control
    /// claims, disjoint numbers; with both sentences and sources.
    Contradictions(commands::reconcile::ContradictionsArgs),
    /// Who is claimed to control a place since when, by whom, and who denies it.
    Control(commands::reconcile::ControlArgs),
    /// Per measure (troops deployed, casualties, ...), the values claimed, by whom and when.
    Numbers(commands::reconcile::NumbersArgs),
    /// A situation report (Markdown or HTML): per area, the timeline of events with
    /// corroboration and contradictions, the control ledger, disputed numbers, and
    /// footnotes citing the outlet and sentence of every claim.
    Report(commands::reconcile::ReportArgs),
    /// Serve the JSON API (documented at /api/openapi.json) and the web page (map,
    /// timeline, claims with their evidence) over the database.
    ///
    /// Read-only unless a token is given (--token or SITREP_TOKEN): POST /api/documents
    /// then ingests articles and extracts their claims, with `Authorization: Bearer
    /// TOKEN`. Ctrl-C or SIGTERM stops it after the requests in flight.
    Serve(commands::serve::Args),
}

fn main() -> ExitCode {
    // `sitrep claims | head` must end quietly when the reader goes away, as other Unix
    // tools do; Rust ignores SIGPIPE by default, so every print would panic instead.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        keep_freed_memory();
    }
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(&cli.db, args),
        Command::Docs(args) => commands::docs::list(&cli.db, args),
        Command::Show(args) => commands::docs::show(&cli.db, args),
        Command::Mentions(args) => commands::language::mentions(&cli.db, cli.lexicons.as_deref(), args),
        Command::Gazetteer(cmd) => commands::language::gazetteer(&cli.db, cmd),
        Command::Extract(args) => commands::claims::extract(&cli.db, cli.lexicons.as_deref(), args),
        Command::Claims(args) => commands::claims::claims(&cli.db, args),
        Command::Export(args) => commands::claims::export(&cli.db, args),
        Command::Explain(args) => commands::claims::explain(&cli.db, args),
        Command::Quotes(args) => commands::claims::quotes(&cli.db, args),
        Command::Reconcile => commands::reconcile::reconcile(&cli.db, cli.lexicons.as_deref()),
        Command::Events(args) => commands::reconcile::events(&cli.db, cli.lexicons.as_deref(), args),
        Command::Contradictions(args) => commands::reconcile::contradictions(&cli.db, cli.lexicons.as_deref(), args),
        Command::Control(args) => commands::reconcile::control(&cli.db, cli.lexicons.as_deref(), args),
        Command::Numbers(args) => commands::reconcile::numbers(&cli.db, cli.lexicons.as_deref(), args),
        Command::Report(args) => commands::reconcile::report(&cli.db, cli.lexicons.as_deref(), args),
        Command::Serve(args) => commands::serve::run(&cli.db, cli.lexicons.as_deref(), args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sitrep: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
