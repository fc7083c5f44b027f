//! `sitrep serve`: the HTTP API and the web page over the same database.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Bearer token that POST /api/documents must present. Without one the server is
    /// read-only.
    #[arg(long, env = "SITREP_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = sitrep_serve::DEFAULT_MAX_BODY)]
    max_body: usize,
}

pub fn run(db: &Path, lexicons: Option<&Path>, args: Args) -> Result<ExitCode> {
    let mut config = sitrep_serve::Config::new(db.to_path_buf());
    config.addr = args.addr;
    config.token = args.token.filter(|t| !t.is_empty());
    config.lexicons = lexicons.map(PathBuf::from);
    config.max_body = args.max_body;
    sitrep_serve::run(config)?;
    Ok(ExitCode::SUCCESS)
}
