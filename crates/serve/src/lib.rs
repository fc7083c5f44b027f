//! sitrep-serve: `sitrep serve`, the JSON API over the store and the web page.
//!
//! - Reads go through a small pool of SQLite connections ([`pool`]), each request's
//!   query on tokio's blocking threads, so a slow query never stalls the event loop.
//!   WAL mode lets them run while the CLI or `POST /api/documents` writes.
//! - Writes (`POST /api/documents`) need a bearer token given at start; without one the
//!   server is read-only and answers 403. One writer at a time stores the article and
//!   runs the extraction pipeline on it, both through the same library code as
//!   `sitrep ingest` and `sitrep extract`.
//! - Shutdown (Ctrl-C or SIGTERM) stops accepting connections, lets the requests in
//!   flight finish, and waits for the writer, so an accepted ingest is never lost.
//! - The API is described by the OpenAPI 3 document served at `/api/openapi.json`
//!   (`src/openapi.json`, written by hand and checked against [`ROUTES`] by the tests).
//! - The page (`assets/`) and the basemap (`data/basemap/`) are compiled into the binary.

mod api;
mod assets;
mod error;
mod pool;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::routing::get;
use axum::Router;
use sitrep_extract::pipeline::Pipeline;
use sitrep_store::Store;

pub use error::ApiError;

/// Largest page of a listing; `limit` above it is refused with 400.
pub const MAX_PAGE: i64 = 200;
/// Page size when the request gives no `limit`.
pub const DEFAULT_PAGE: i64 = 50;
/// Default limit on a request body (`--max-body`).
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

/// Every route the server answers (method, path as in the OpenAPI document). The
/// router is built from the same handlers; a test checks this list against
/// `openapi.json` and that each route answers.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/openapi.json"),
    ("get", "/api/health"),
    ("get", "/api/claims"),
    ("get", "/api/claims/{id}"),
    ("get", "/api/places"),
    ("get", "/api/timeline"),
    ("get", "/api/documents"),
    ("post", "/api/documents"),
    ("get", "/api/documents/{id}"),
    ("get", "/api/events"),
    ("get", "/api/events/{id}"),
    ("get", "/api/contradictions"),
    ("get", "/api/control"),
    ("get", "/api/numbers"),
    ("get", "/api/report"),
];

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Bearer token that `POST /api/documents` must present; `None` = read-only.
    pub token: Option<String>,
    /// Folder of lexicon files laid over the built-in ones, for extraction.
    pub lexicons: Option<PathBuf>,
    pub max_body: usize,
    /// Read connections at most (requests beyond wait for one).
    pub readers: usize,
}

impl Config {
    pub fn new(db: PathBuf) -> Config {
        Config {
            db,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            lexicons: None,
            max_body: DEFAULT_MAX_BODY,
            // Queries are CPU-bound; more connections than twice the cores only queue.
            readers: std::thread::available_parallelism().map(|n| 2 * n.get()).unwrap_or(4).max(4),
        }
    }
}

/// The one writer: its connection and, once the first ingest needs it, the pipeline.
pub(crate) struct Writer {
    store: Store,
    pipeline: Option<Pipeline>,
    lexicons: Option<PathBuf>,
}

pub(crate) struct AppState {
    readers: pool::Pool,
    /// As many permits as read connections: queries wait here, on the event loop,
    /// rather than as parked blocking threads.
    read_slots: tokio::sync::Semaphore,
    writer: Option<Arc<Mutex<Writer>>>,
    token: Option<String>,
    max_body: usize,
}

/// The router with its state: the API, the page and JSON errors for everything else.
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/health", get(api::health))
        .route("/api/claims", get(api::claims))
        .route("/api/claims/{id}", get(api::claim))
        .route("/api/places", get(api::places))
        .route("/api/timeline", get(api::timeline))
        .route("/api/documents", get(api::documents).post(api::post_documents))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/events", get(api::events))
        .route("/api/events/{id}", get(api::event))
        .route("/api/contradictions", get(api::contradictions))
        .route("/api/control", get(api::control))
        .route("/api/numbers", get(api::numbers))
        .route("/api/report", get(api::report))
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state)
}

/// Serve on `listener` until `shutdown` completes, then let requests in flight finish
/// and wait for the writer before returning.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    // Opening the store here creates the database or migrates it before any request.
    let mut first = pool::open_reader(&config.db)?;
    if first.reconciliation_stale()? {
        // As the CLI's listing commands do: events and the ledger follow the claims.
        eprintln!("sitrep serve: claims changed since the last reconciliation; reconciling");
        reconcile(&mut first, config.lexicons.as_deref())?;
    }
    if let Err(e) = first.ensure_page_indexes() {
        // A database the server may not write to still serves, with slower pages.
        eprintln!("sitrep serve: warning: cannot add the listing indexes ({e:#}); listings will sort in memory");
    }
    let writer = match &config.token {
        Some(_) => Some(Arc::new(Mutex::new(Writer {
            store: Store::open(&config.db)?,
            pipeline: None,
            lexicons: config.lexicons.clone(),
        }))),
        None => None,
    };
    let state = Arc::new(AppState {
        readers: pool::Pool::new(config.db.clone(), config.readers.max(1), first),
        read_slots: tokio::sync::Semaphore::new(config.readers.max(1)),
        writer: writer.clone(),
        token: config.token.clone(),
        max_body: config.max_body,
    });
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await.context("serving HTTP")?;
    if let Some(w) = writer {
        // An ingest whose client went away keeps running on a blocking thread: wait
        // for it to commit before the process ends.
        tokio::task::spawn_blocking(move || drop(w.lock())).await.ok();
    }
    Ok(())
}

/// Reconcile everything stored (events, contradictions, control ledger, numbers).
pub(crate) fn reconcile(store: &mut Store, lexicons: Option<&std::path::Path>) -> Result<()> {
    let rules = sitrep_reconcile::Rules::load(&sitrep_lexicon::Lexicons::load(lexicons)?)?;
    sitrep_reconcile::persist::run(store, &rules)?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// `sitrep serve`: bind, say where, serve until Ctrl-C or SIGTERM.
pub fn run(config: Config) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        let mode = if config.token.is_some() { "POST /api/documents enabled" } else { "read-only (no --token)" };
        eprintln!("sitrep serve: {} on http://{addr}/ , {mode}; Ctrl-C stops", config.db.display());
        // The address on stdout alone, for scripts and tests that start on port 0.
        println!("http://{addr}/");
        serve(listener, config, shutdown_signal()).await?;
        eprintln!("sitrep serve: stopped");
        Ok(())
    })
}
