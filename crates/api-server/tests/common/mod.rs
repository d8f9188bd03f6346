//! Starts the real binary on a free port and talks plain HTTP/1.1 to it over a TcpStream (no
//! client library: the tests see the exact status, headers and bytes sent).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Server {
    pub port: u16,
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Spawns `api-server --port 0 ARGS` and waits for its `listening on` line.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_api-server"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn api-server");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("read the listening line");
        let port = line
            .trim_end()
            .strip_prefix("listening on http://127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no listening line: {line:?}; stderr: {}", stderr.lock().unwrap()));
        Server { port, child, stderr }
    }

    pub fn get(&self, target: &str) -> Resp {
        self.request("GET", target, &[])
    }

    pub fn get_with(&self, target: &str, headers: &[(&str, &str)]) -> Resp {
        self.request("GET", target, headers)
    }

    pub fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Resp {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut req = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", self.port);
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read the answer");
        Resp::parse(&raw)
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        // The log thread may be a line behind the answer just read.
        std::thread::sleep(Duration::from_millis(100));
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Resp {
    pub status: u16,
    /// Header names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    fn parse(raw: &[u8]) -> Resp {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if let Some(len) = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse::<usize>().ok()) {
            body.truncate(len);
        }
        Resp { status, headers, body: String::from_utf8(body).expect("utf-8 body") }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A fresh directory under the system's temp dir for one test's files.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("api-server-test-{}-{}-{name}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One transaction row of the fixture, as written to the CSV.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub member: String,
    pub date: String,
    pub paid_cents: i64,
    pub discount_cents: i64,
}

/// 23 transactions of five members on distinct days, with amounts that make every mistake in
/// paging (a record twice, one lost) show in the sum.
pub fn fixture_rows() -> Vec<Row> {
    (0..23)
        .map(|i: i64| Row {
            member: format!("M{:02}", i % 5 + 1),
            date: format!("2024-{:02}-{:02}", i / 20 + 1, i % 20 + 1),
            paid_cents: 1_000 + i * 137 + (i % 3) * 5,
            discount_cents: (i % 4) * 250,
        })
        .collect()
}

fn cents_text(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

/// Writes the fixture as a transactions CSV and returns its path.
pub fn write_transactions_csv(dir: &std::path::Path) -> PathBuf {
    let mut csv = String::from("member_id,date,paid,discount,category\n");
    for r in fixture_rows() {
        csv.push_str(&format!("{},{},{},{},面膜\n", r.member, r.date, cents_text(r.paid_cents), cents_text(r.discount_cents)));
    }
    let path = dir.join("sales.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// Seven members with every column a members file can have.
pub const MEMBERS_CSV: &str = "\
member_id,name,phone,gender,birthday,join_date,tier,points,balance,store,expiry,points_expiry,tags
M01,王静,13800000001,女,1990-01-02,2023-01-05,金卡,120,100.50,静安店,2025-01-05,2025-01-05,敏感肌;抗衰
M02,李强,13800000002,男,1985-05-06,2023-02-05,银卡,80,0,徐汇店,,,
M03,张敏,13800000003,女,,2023-03-05,,0,20,浦东店,,,美白
M04,刘洋,13800000004,男,1979-12-31,2023-04-05,金卡,300,1000.00,静安店,2025-04-05,,
M05,陈雪,13800000005,女,2000-02-29,2023-05-05,,5,0.05,,,,
M06,杨丽,13800000006,女,1995-07-07,2023-06-05,银卡,0,0,徐汇店,,,
M07,黄娜,13800000007,,,,,,,,,,
";

pub fn write_members_csv(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("members.csv");
    std::fs::write(&path, MEMBERS_CSV).unwrap();
    path
}

/// Money text ("128.50", "-3.05") in cents, read independently of the server.
pub fn yuan_to_cents(s: &str) -> i64 {
    let (sign, digits) = s.strip_prefix('-').map_or((1, s), |d| (-1, d));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let frac = format!("{frac:0<2}");
    sign * (whole.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap())
}

/// The `rel="next"` target of a Link header.
pub fn link_next(link: &str) -> Option<String> {
    let (target, params) = link.split_once('>')?;
    params.contains("rel=\"next\"").then(|| target.trim_start_matches('<').to_string())
}
