//! Proven under faults: real `ruta serve` processes killed with SIGKILL,
//! their database stopped or filled, while phone-like clients keep
//! uploading and retrying whatever was not acknowledged. Each test is
//! bounded to seconds; the invariants are checked on the database itself.
pub mod disk_full;
pub mod kill_under_load;
pub mod pg_restart;
pub mod private_pg;
pub mod read_only;
pub mod survivors;
pub mod workers;

use crate::concurrency::assert_gapless;
use crate::helpers::{eventually, new_id, sale};
use reqwest::Client;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::{Child, Command};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Loads the demo data into `db_url` with the real binary.
pub async fn demo(db_url: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("demo")
        .env("RUTA_DATABASE_URL", db_url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success(), "ruta demo");
}

/// One `ruta serve` process on a fixed port (so clients keep their URL
/// across restarts, as phones do), its stderr kept in a file to look for
/// panics afterwards.
pub struct Server {
    pub base: String,
    port: u16,
    db_url: String,
    log: PathBuf,
    extra_env: Vec<(String, String)>,
    child: Option<Child>,
}

impl Server {
    pub async fn start(db_url: &str) -> Self {
        Self::start_with(db_url, &[]).await
    }

    pub async fn start_with(db_url: &str, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let log = std::env::temp_dir().join(format!("ruta_fault_{}.log", uuid::Uuid::new_v4()));
        let mut server = Self {
            base: format!("http://127.0.0.1:{port}"),
            port,
            db_url: db_url.to_owned(),
            log,
            extra_env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            child: None,
        };
        server.spawn();
        server.wait_healthy(Duration::from_secs(30)).await;
        server
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ruta"));
        cmd.arg("serve")
            .env("RUTA_DATABASE_URL", &self.db_url)
            .env("RUTA_ADDR", format!("127.0.0.1:{}", self.port))
            .env("RUTA_SYNC_RATE", "off")
            .env("RUTA_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true);
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        self.child = Some(cmd.spawn().unwrap());
    }

    pub async fn wait_healthy(&self, deadline: Duration) {
        let client = Client::new();
        let url = format!("{}/health", self.base);
        eventually(deadline, || async {
            let r = client.get(&url).send().await.ok()?;
            r.status().is_success().then_some(())
        })
        .await;
    }

    /// SIGKILL, and wait until the process is gone.
    pub async fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.unwrap();
        }
    }

    /// Starts the process again on the same port and database.
    pub async fn restart(&mut self) {
        self.spawn();
        self.wait_healthy(Duration::from_secs(30)).await;
    }

    /// The process's stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn assert_no_panic(&self) {
        let log = self.log();
        assert!(!log.contains("panicked"), "server panicked:\n{log}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.log);
    }
}

/// What every phone shares: the sales it generated (sent at least once)
/// and those the server acknowledged.
#[derive(Default, Clone)]
pub struct Ledger {
    pub sent: HashSet<String>,
    pub acked: HashSet<String>,
    /// Sends that were not (wholly) acknowledged and had to be retried.
    pub retried_sends: usize,
}

/// A phone: batches of a few new sales; whatever the server did not
/// acknowledge (connection error, no answer, 5xx, a per-sale internal
/// error) goes back to its queue and is sent again later, unchanged.
pub struct Phone {
    client: Client,
    token: String,
    pending: Vec<Vec<Value>>,
    ledger: Arc<Mutex<Ledger>>,
}

pub fn http_client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

impl Phone {
    pub async fn new(base: &str, user: &str, ledger: Arc<Mutex<Ledger>>) -> Self {
        let client = http_client();
        let token = login(&client, base, user).await;
        Self {
            client,
            token,
            pending: Vec::new(),
            ledger,
        }
    }

    /// Queues a new batch of `n` sales.
    pub fn new_batch(&mut self, n: usize) {
        let batch: Vec<Value> = (0..n).map(|_| sale(&new_id())).collect();
        let mut ledger = self.ledger.lock().unwrap();
        for s in &batch {
            ledger
                .sent
                .insert(s["local_id"].as_str().unwrap().to_owned());
        }
        self.pending.push(batch);
    }

    pub fn is_done(&self) -> bool {
        self.pending.is_empty()
    }

    /// Sends the oldest pending batch to `base` once; what is not
    /// acknowledged stays pending. Returns the response status, if any.
    pub async fn send_one(&mut self, base: &str) -> Option<u16> {
        self.send_one_answer(base).await.map(|(status, _)| status)
    }

    /// [`Phone::send_one`], with the answer's body (`Null` if not JSON).
    pub async fn send_one_answer(&mut self, base: &str) -> Option<(u16, Value)> {
        if self.pending.is_empty() {
            return None;
        }
        let batch = self.pending.remove(0);
        let r = self
            .client
            .post(format!("{base}/api/v1/sales/sync/upload/"))
            .header("Authorization", format!("Token {}", self.token))
            .json(&json!({ "sales": batch }))
            .send()
            .await;
        let (status, body) = match r {
            Ok(r) => {
                let status = r.status().as_u16();
                (Some(status), r.json::<Value>().await.ok())
            }
            Err(_) => (None, None),
        };
        let results = body
            .as_ref()
            .filter(|_| status == Some(200))
            .and_then(|b| b["results"].as_array().cloned());
        let mut left = Vec::new();
        match results {
            Some(results) => {
                let mut ledger = self.ledger.lock().unwrap();
                for (s, r) in batch.into_iter().zip(results) {
                    assert_eq!(r["local_id"], s["local_id"], "results in request order");
                    if r["status"] == "success" {
                        ledger
                            .acked
                            .insert(r["local_id"].as_str().unwrap().to_owned());
                    } else {
                        // A valid sale only fails on a server fault.
                        assert_eq!(
                            r["error"],
                            ruta_server::services::sync::INTERNAL_ERROR,
                            "{r}"
                        );
                        left.push(s);
                    }
                }
            }
            None => left = batch,
        }
        if !left.is_empty() {
            self.ledger.lock().unwrap().retried_sends += 1;
            self.pending.push(left);
        }
        status.map(|s| (s, body.unwrap_or(Value::Null)))
    }

    /// Retries until nothing is pending, or fails after `deadline`.
    pub async fn drain(&mut self, base: &str, deadline: Duration) {
        let start = std::time::Instant::now();
        while !self.is_done() {
            assert!(
                start.elapsed() < deadline,
                "sales still unacknowledged after {deadline:?}"
            );
            if self.send_one(base).await != Some(200) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Phones uploading in the background until [`Load::finish`], which then
/// lets each one retry until all its sales are acknowledged.
pub struct Load {
    pub ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
    phones: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    /// `phones` phones (the demo sellers in turn), batches of `batch`; phone
    /// `p` talks to `bases[p % bases.len()]`.
    pub async fn start(bases: &[String], phones: usize, batch: usize) -> Self {
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::new();
        for p in 0..phones {
            let user = ["ana", "beto", "carla"][p % 3];
            let base = bases[p % bases.len()].clone();
            let mut phone = Phone::new(&base, user, ledger.clone()).await;
            let stop = stop.clone();
            handles.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    // A phone keeps selling while offline, so its queue grows.
                    if phone.pending.len() < 8 {
                        phone.new_batch(batch);
                    }
                    if phone.send_one(&base).await != Some(200) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
                phone.drain(&base, Duration::from_secs(30)).await;
            }));
        }
        Self {
            ledger,
            stop,
            phones: handles,
        }
    }

    pub async fn finish(self) -> Ledger {
        self.stop.store(true, Ordering::Relaxed);
        for p in self.phones {
            p.await.unwrap();
        }
        // Other phones (a probe) may share the ledger: a snapshot.
        self.ledger.lock().unwrap().clone()
    }
}

/// Logs in, retrying while the server is not answering.
pub async fn login(client: &Client, base: &str, user: &str) -> String {
    eventually(Duration::from_secs(20), || async {
        let r = client
            .post(format!("{base}/api/v1/auth/token/"))
            .json(&json!({"username": user, "password": "ruta2026"}))
            .send()
            .await
            .ok()?;
        let body: Value = r.json().await.ok()?;
        body["token"].as_str().map(str::to_owned)
    })
    .await
}

/// The sales stored in `db_url`: (local_id, number) of each accepted one,
/// read straight from the database.
pub async fn stored_sales(db_url: &str) -> Vec<(String, Option<String>)> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db_url)
        .await
        .unwrap();
    sqlx::query_as::<_, (String, Option<String>)>("SELECT local_id, number FROM sales")
        .fetch_all(&mut conn)
        .await
        .unwrap()
}

/// Every sale acknowledged was sent, every sale sent is stored exactly
/// once with a number, numbers are gapless, and the log chain verifies.
/// Returns (sent, stored).
pub async fn assert_ledger_matches(db_url: &str, base: &str, ledger: &Ledger) -> (usize, usize) {
    let stored = stored_sales(db_url).await;
    let ids: Vec<&String> = stored.iter().map(|(id, _)| id).collect();
    let unique: HashSet<String> = ids.iter().map(|s| (*s).clone()).collect();
    assert_eq!(unique.len(), ids.len(), "a sale is stored twice");
    assert_eq!(ledger.acked, ledger.sent, "every sent sale is acknowledged");
    assert_eq!(unique, ledger.sent, "stored sales = sales sent");
    let numbers: Vec<String> = stored
        .iter()
        .map(|(id, n)| n.clone().unwrap_or_else(|| panic!("{id} has no number")))
        .collect();
    assert_gapless(&numbers);
    assert_log_verifies(base).await;
    (ledger.sent.len(), stored.len())
}

pub async fn assert_log_verifies(base: &str) {
    let client = http_client();
    let admin = login(&client, base, "admin").await;
    let verify: Value = client
        .get(format!("{base}/api/v1/sync/log/verify/"))
        .header("Authorization", format!("Token {admin}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verify["ok"], true, "{verify}");
}

/// A small deterministic pseudo-random source (no extra crate): the kill
/// moments vary per run through the seed, yet a run can be replayed.
pub struct Lcg(u64);

impl Lcg {
    pub fn seeded() -> Self {
        let seed = std::env::var("RUTA_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        println!("RUTA_FAULT_SEED={seed}");
        Self(seed)
    }

    /// A value in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        lo + (self.0 >> 33) % (hi - lo)
    }
}
