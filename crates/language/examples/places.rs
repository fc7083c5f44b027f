//! Tag places in text files and print them; with `--stats`, time loading and tagging.
//!
//!     cargo run --release -p sitrep-language --example places -- [--import UA.zip --admin DIR] FILE...

use std::path::PathBuf;
use std::time::Instant;

use sitrep_language::gazetteer::geonames::{read_admin_codes, read_dump};
use sitrep_language::gazetteer::Gazetteer;
use sitrep_language::places::PlaceTagger;

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let stats = take_flag(&mut args, "--stats");
    let quiet = take_flag(&mut args, "--quiet");
    let import = take_value(&mut args, "--import");
    let admin = take_value(&mut args, "--admin");
    let repeat: usize = take_value(&mut args, "--repeat").and_then(|s| s.parse().ok()).unwrap_or(1);
    let t0 = Instant::now();
    let mut gaz = Gazetteer::embedded()?;
    let t_load = t0.elapsed();
    if let Some(path) = import {
        let mut codes = Default::default();
        if let Some(dir) = &admin {
            let dir = PathBuf::from(dir);
            let mut c = read_admin_codes(&dir.join("admin1CodesASCII.txt"))?;
            c.extend(read_admin_codes(&dir.join("admin2Codes.txt.xz"))?);
            codes = c;
        }
        let rows = read_dump(path.as_ref())?.with_admin_codes(codes).collect::<anyhow::Result<Vec<_>>>()?;
        gaz = gaz.with_entries(rows);
    }
    let t_import = t0.elapsed();
    let tagger = PlaceTagger::new(&gaz, &sitrep_lexicon::Lexicons::embedded())?;
    let t_ready = t0.elapsed();
    let texts: Vec<(String, String)> = args.iter().map(|p| Ok((p.clone(), std::fs::read_to_string(p)?))).collect::<anyhow::Result<_>>()?;
    let bytes: usize = texts.iter().map(|t| t.1.len()).sum::<usize>() * repeat;
    let t1 = Instant::now();
    let mut n = 0;
    for _ in 0..repeat {
        for (path, text) in &texts {
            let ms = tagger.find(text);
            n += ms.len();
            if !quiet {
                println!("== {path}");
                for m in ms {
                    println!(
                        "{:>6} {:<28} -> {:<26} {:<9} {:<8} {:?} {}",
                        m.span.start,
                        m.span.text(text),
                        m.name,
                        format!("{:?}", m.feature),
                        m.country.unwrap_or_default(),
                        m.gazetteer_id,
                        m.resolved_by
                    );
                }
            }
        }
    }
    let t_tag = t1.elapsed();
    if stats {
        eprintln!("embedded load {:?}; after import {:?}; tagger ready {:?}", t_load, t_import, t_ready);
        eprintln!("{:?}", gaz.stats());
        eprintln!("tagged {bytes} bytes, {n} mentions in {:?}: {:.1} MB/s", t_tag, bytes as f64 / 1e6 / t_tag.as_secs_f64());
    }
    Ok(())
}

fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != flag);
    args.len() != before
}

fn take_value(args: &mut Vec<String>, flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    let v = args.get(i + 1).cloned();
    args.drain(i..(i + 2).min(args.len()));
    v
}
