//! Tells the scoreboard which rs-trafilatura version it was built with (from the
//! workspace's Cargo.lock), so the comparison line names it.

fn main() {
    let lock = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock");
    println!("cargo:rerun-if-changed={lock}");
    let text = std::fs::read_to_string(lock).unwrap_or_default();
    let version = text
        .split("[[package]]")
        .find(|p| p.lines().any(|l| l.trim() == "name = \"rs-trafilatura\""))
        .and_then(|p| p.lines().find_map(|l| l.trim().strip_prefix("version = \"")?.strip_suffix('"').map(str::to_string)))
        .unwrap_or_else(|| "?".into());
    println!("cargo:rustc-env=SITREP_RS_TRAFILATURA_VERSION={version}");
}
