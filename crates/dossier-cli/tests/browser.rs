//! The web UI in a real headless Chromium (Debian's `chromium`, which
//! `scripts/test.sh` installs): a real `dossier demo` serving on loopback;
//! pages loaded, a filter applied, a figure followed to its highlighted
//! passage. Screenshots are saved under `target/screenshots/` for a person
//! to look at.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> PathBuf {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("Chromium is not installed: run scripts/test.sh, which installs Debian's chromium package");
}

struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn http_get(base: &str, path: &str) -> Option<(u16, String)> {
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, out))
}

fn start_demo() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--data"])
        .arg(dir.path().join("data"))
        .args(["demo", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("DOSSIER_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, base: format!("http://127.0.0.1:{port}"), _dir: dir };
    let start = Instant::now();
    while http_get(&server.base, "/incidents").is_none_or(|(s, _)| s != 200) {
        assert!(start.elapsed() < Duration::from_secs(60), "dossier demo did not start serving");
        std::thread::sleep(Duration::from_millis(200));
    }
    server
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn browser(args: &[&str], url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The DOM after Chromium loaded and rendered the page.
fn dom(url: &str) -> String {
    browser(&["--dump-dom", "--virtual-time-budget=3000"], url)
}

fn screenshot(url: &str, name: &str, width: u32) {
    let path = screenshots().join(name);
    browser(&[&format!("--screenshot={}", path.display()), &format!("--window-size={width},1400")], url);
    let png = std::fs::read(&path).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 5_000, "{name} is not a real screenshot");
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

#[test]
fn a_user_reads_incidents_filters_them_and_follows_a_figure_to_its_passage() {
    let server = start_demo();
    let base = &server.base;

    // The incident list, as rendered by the browser.
    let list = dom(&format!("{base}/incidents"));
    assert!(list.contains("1–2 of 2 incidents"), "{list}");
    assert!(list.contains("3–34") && list.contains("19–52"), "ranges of disagreeing tolls are shown");
    screenshot(&format!("{base}/incidents"), "incidents.png", 1280);
    screenshot(&format!("{base}/incidents"), "incidents-phone.png", 390);

    // Filtering through the form's query.
    let filtered = dom(&format!("{base}/incidents?from=2013-01-01&to=2013-12-31"));
    assert!(
        filtered.contains("1–1 of 1 incident<") && filtered.contains("19–52") && !filtered.contains("3–34"),
        "{filtered}"
    );

    // An incident: one row per source's figure, each linking to its passage.
    let href = between(&list, "href=\"/incidents/inc-", "\"").expect("a link to an incident");
    let incident_url = format!("{base}/incidents/inc-{href}");
    let page = dom(&incident_url);
    assert!(page.contains("every source's figure, side by side"), "{page}");
    screenshot(&incident_url, "incident.png", 1280);
    let link = between(&page, "href=\"/sources/", "\"").expect("a figure links to its source");
    let (source, claim) = link.split_once("#claim-").expect("the link names the claim");
    let passage = between(&page, &format!("#claim-{claim}\">“"), "”</a>").expect("the passage is quoted").to_string();

    // The source reader: the linked claim is a highlighted mark holding exactly that passage.
    let reader_url = format!("{base}/sources/{source}#claim-{claim}");
    let reader = dom(&reader_url);
    let mark = between(&reader, &format!("<mark id=\"claim-{claim}\""), "</mark>").expect("the passage is marked");
    let text = mark.split_once('>').unwrap().1;
    let text = text.split("<span class=\"label\">").next().unwrap();
    assert_eq!(text, passage.replace('&', "&amp;"));
    screenshot(&reader_url, "source-reader.png", 1280);

    // The sign-in page: a labelled form.
    let (status, login) = http_get(base, "/login").unwrap();
    assert_eq!(status, 200);
    assert!(login.contains("<label for=\"password\">") && login.contains("type=\"password\""), "{login}");
    screenshot(&format!("{base}/login"), "login.png", 390);

    // The review queue lists unreviewed claims with their passages.
    let (status, review) = http_get(base, "/review").unwrap();
    assert_eq!(status, 200);
    assert!(review.contains("Review queue") && review.contains("href=\"/sources/src-"), "{review}");
    screenshot(&format!("{base}/review"), "review-queue.png", 1280);
    let (status, timeline) = http_get(base, "/timeline").unwrap();
    assert_eq!(status, 200);
    assert!(timeline.contains("href=\"/timeline?year=2011\"") && timeline.contains("<meter"), "{timeline}");
    screenshot(&format!("{base}/timeline"), "timeline.png", 1280);
    let (status, map) = http_get(base, "/map").unwrap();
    assert_eq!(status, 200);
    assert!(map.contains("<circle class=\"point grade-") && map.contains("<title>Iraq</title>"), "{map}");
    screenshot(&format!("{base}/map"), "map.png", 1280);
    screenshot(&format!("{base}/map"), "map-phone.png", 390);
    let (status, actors) = http_get(base, "/actors").unwrap();
    assert_eq!(status, 200);
    assert!(actors.contains("<h1>Actors</h1>") && actors.contains("href=\"/incidents/inc-"), "{actors}");
    screenshot(&format!("{base}/actors"), "actors.png", 1280);
    let (status, commitments) = http_get(base, "/commitments").unwrap();
    assert_eq!(status, 200);
    assert!(commitments.contains("<h1>Commitments</h1>"), "{commitments}");
    screenshot(&format!("{base}/commitments"), "commitments.png", 1280);
    screenshot(&format!("{base}/calls"), "calls.png", 390);
    let (status, cases) = http_get(base, "/cases").unwrap();
    assert_eq!(status, 200);
    assert!(cases.contains("<h1>Cases</h1>"), "{cases}");
    screenshot(&format!("{base}/cases"), "cases.png", 1280);
    let (status, search) = http_get(base, "/search?q=Camp%20Ashraf").unwrap();
    assert_eq!(status, 200);
    assert!(search.contains("<mark>Camp Ashraf</mark>"), "{search}");
    screenshot(&format!("{base}/search?q=Camp%20Ashraf"), "search.png", 1280);
    let (status, upload) = http_get(base, "/upload").unwrap();
    assert_eq!(status, 200);
    assert!(upload.contains("sign in"), "{upload}");

    // The API answers with JSON, and bad input with a clear 400.
    let (status, body) = http_get(base, "/api/v1/incidents?limit=1").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("\"total\":2"), "{body}");
    let (status, body) = http_get(base, "/api/v1/incidents?from=yesterday").unwrap();
    assert_eq!(status, 400);
    assert!(body.contains("\"code\":\"bad_request\""), "{body}");
    let (status, _) = http_get(base, "/api/v1/incidents/inc-0000000000000000").unwrap();
    assert_eq!(status, 404);
}
