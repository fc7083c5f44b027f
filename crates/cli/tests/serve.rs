//! `sitrep serve` as a user starts it: the real binary on a free loopback port, asked
//! for its health over HTTP, then stopped with SIGTERM, which it answers by finishing
//! cleanly.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::*;

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_answers_on_its_port_and_stops_on_sigterm() {
    let env = Env::new();
    env.sitrep().arg("ingest").arg(examples()).assert().success();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("sitrep"))
        .arg("--db")
        .arg(env.db())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("SITREP_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first stdout line is the address it listens on.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().trim_start_matches("http://").trim_end_matches('/').to_string();
    let health = http_get(&addr, "/api/health");
    assert!(health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"writable\":false"), "no token: read-only: {health}");
    let post = {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "POST /api/documents HTTP/1.0\r\nContent-Length: 4\r\n\r\ntext").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    assert!(post.contains(" 403 ") && post.contains("read-only"), "{post}");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}: {}", out.status, stderr(&out));
    assert!(stderr(&out).contains("stopped"), "{}", stderr(&out));
}
