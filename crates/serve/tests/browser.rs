//! The page in a real headless Chromium (Debian's `chromium`), driven through the
//! Chrome DevTools protocol: markers and claim cards appear for the example corpus, a
//! brushed date range shrinks the list, and the layout holds at phone width.
//! Screenshots go to the test's target temp dir (`browser-*.png`).
//!
//! Skips with a message when Chromium is missing, except under CI (`CI` set), where
//! `.ci/run` installs it and a missing browser is a failure.

mod common;

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::*;
use headless_chrome::protocol::cdp::{Emulation, Input, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};

fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("SITREP_CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()));
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium not found at {} under CI: .ci/run should have installed it", path.display());
    }
    eprintln!("skipping the browser test: chromium not found at {} (apt-get install chromium)", path.display());
    None
}

fn launch(path: PathBuf, profile: &std::path::Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 800)))
        .user_data_dir(Some(profile.to_path_buf()))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    Browser::new(options).expect("chromium did not start")
}

/// The value of a JS expression (passed through JSON: the protocol call returns
/// objects by reference).
fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    let r = tab.evaluate(&format!("JSON.stringify({js})"), false).unwrap_or_else(|e| panic!("{js}: {e}"));
    match r.value {
        Some(serde_json::Value::String(s)) => serde_json::from_str(&s).unwrap(),
        _ => serde_json::Value::Null,
    }
}

fn wait_for(tab: &Tab, what: &str, js: &str) {
    let started = Instant::now();
    while eval(tab, js) != serde_json::Value::Bool(true) {
        if started.elapsed() > Duration::from_secs(30) {
            let shot = screenshot(tab, "browser-timeout.png");
            panic!("timed out waiting for {what}; status: {}; screenshot {}", eval(tab, "document.querySelector('#status').textContent"), shot.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn mouse(tab: &Tab, kind: Input::DispatchMouseEventTypeOption, x: f64, y: f64, buttons: u32) {
    tab.call_method(Input::DispatchMouseEvent {
        Type: kind,
        x,
        y,
        modifiers: None,
        timestamp: None,
        button: Some(Input::MouseButton::Left),
        buttons: Some(buttons),
        click_count: Some(1),
        force: None,
        tangential_pressure: None,
        tilt_x: None,
        tilt_y: None,
        twist: None,
        delta_x: None,
        delta_y: None,
        pointer_Type: None,
    })
    .unwrap();
}

fn screenshot(tab: &Tab, name: &str) -> PathBuf {
    let png = tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
    path
}

const CARDS: &str = "document.querySelectorAll('#claims .claim-card').length";

#[test]
fn the_page_shows_markers_and_cards_and_the_brush_filters_the_list() {
    let Some(path) = chromium() else { return };
    let server = Server::start(Options::default());
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(path, profile.path());
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}/", server.base)).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "the page to load", "document.body.dataset.ready === 'true'");

    // Markers on the basemap, one per located place, and every claim as a card.
    assert!(eval(&tab, "document.querySelectorAll('#basemap .area').length").as_u64().unwrap() > 20, "oblasts drawn");
    let markers = eval(&tab, "document.querySelectorAll('#map .marker').length").as_u64().unwrap();
    assert!(markers >= 4, "{markers} markers");
    assert!(eval(&tab, "[...document.querySelectorAll('#map .marker')].some(m => m.dataset.place === 'Sudzha')").as_bool().unwrap());
    let n = example_claims();
    assert_eq!(eval(&tab, CARDS), n);
    assert!(eval(&tab, "document.querySelector('#count').textContent").as_str().unwrap().starts_with(&format!("{n} claim")));
    // Cards show the sentence with the trigger highlighted, and the source.
    assert_eq!(eval(&tab, "document.querySelectorAll('#claims .claim-card mark.trigger').length"), n);
    assert!(eval(&tab, "document.querySelector('#claims').textContent.includes('Russian Ministry of Defence')").as_bool().unwrap());
    // Reconciliation: cards link to the claims that contradict them and to their
    // event's other claims; the tabs show events, the control ledger and the report.
    assert!(eval(&tab, "document.querySelectorAll('#claims .links .contra').length").as_u64().unwrap() >= 2, "contradiction links");
    assert!(eval(&tab, "document.querySelectorAll('#claims .links .corro').length").as_u64().unwrap() >= 1, "corroboration links");
    screenshot(&tab, "browser-desktop.png");
    eval(&tab, "document.querySelector('#tabs [data-view=events]').click()");
    wait_for(&tab, "event cards", "document.querySelectorAll('#events .event-card').length > 0");
    eval(&tab, "(() => { const i = document.querySelector('#control-form [name=place]'); document.querySelector('#tabs [data-view=control]').click(); i.value = 'Sudzha'; i.dispatchEvent(new Event('input')); })()");
    wait_for(&tab, "the Sudzha control ledger", "document.querySelectorAll('#control table.ledger tbody tr').length > 0 && [...document.querySelectorAll('#control h3')].some(h => h.textContent.startsWith('Sudzha'))");
    screenshot(&tab, "browser-control.png");
    eval(&tab, "document.querySelector('#tabs [data-view=report]').click()");
    wait_for(&tab, "the situation report", "(() => { const f = document.querySelector('#report iframe'); return !!(f && f.contentDocument && f.contentDocument.body && f.contentDocument.body.textContent.includes('Sudzha')); })()");
    screenshot(&tab, "browser-report.png");
    eval(&tab, "document.querySelector('#tabs [data-view=claims]').click()");

    // Brush 5-20 March 2025 on the timeline: the list keeps only claims dated then.
    let xy = eval(
        &tab,
        "(() => { const b = document.querySelector('#timeline').getBoundingClientRect();
                  const px = (d) => b.left + xOf(toDay(d)) / tl.width * b.width;
                  return [px('2025-03-05'), px('2025-03-20'), b.top + b.height / 2]; })()",
    );
    let (x0, x1, y) = (xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap(), xy[2].as_f64().unwrap());
    use Input::DispatchMouseEventTypeOption::{MouseMoved, MousePressed, MouseReleased};
    mouse(&tab, MouseMoved, x0, y, 0);
    mouse(&tab, MousePressed, x0, y, 1);
    for i in 1..=5 {
        mouse(&tab, MouseMoved, x0 + (x1 - x0) * i as f64 / 5.0, y, 1);
    }
    mouse(&tab, MouseReleased, x1, y, 0);
    wait_for(&tab, "the list to shrink", &format!("{CARDS} > 0 && {CARDS} < {n}"));
    let range = eval(&tab, "document.querySelector('#range').textContent").as_str().unwrap().to_string();
    assert!(range.contains("2025-03-0") && range.contains("2025-03-"), "{range}");
    let dates = eval(&tab, "[...document.querySelectorAll('#claims .claim-card .card-head')].map(h => h.textContent)");
    for head in dates.as_array().unwrap() {
        assert!(head.as_str().unwrap().contains("2025-03-1"), "a card outside the range: {head}");
    }
    let shown = eval(&tab, CARDS).as_u64().unwrap();
    let markers_after = eval(&tab, "document.querySelectorAll('#map .marker').length").as_u64().unwrap();
    assert!(markers_after <= markers && markers_after >= 1);
    screenshot(&tab, "browser-brushed.png");

    // A card's article link opens the document with its spans highlighted.
    eval(&tab, "document.querySelector('#claims .claim-card .links a').click()");
    wait_for(&tab, "the document view", "!document.querySelector('#view-doc').hidden && document.querySelectorAll('#doc-text mark').length > 0");

    // Phone width: one column, the list under the map, nothing wider than the screen.
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width: 390,
        height: 844,
        device_scale_factor: 2.0,
        mobile: true,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
    tab.reload(false, None).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "the page at phone width", "document.body.dataset.ready === 'true'");
    assert_eq!(eval(&tab, CARDS), n);
    assert!(eval(&tab, "document.documentElement.scrollWidth <= window.innerWidth + 1").as_bool().unwrap(), "no sideways scrolling");
    assert!(eval(
        &tab,
        "document.querySelector('#claims').getBoundingClientRect().top >= document.querySelector('#map').getBoundingClientRect().bottom"
    )
    .as_bool()
    .unwrap());
    screenshot(&tab, "browser-phone.png");
    eprintln!("{shown} card(s) after brushing");
}
