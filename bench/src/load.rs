//! The load: connections, each with its own seller token, sending batches
//! of 10 sales × 3 items as fast as the server answers.
use crate::server_proc::{self, Backend, Server};
use anyhow::{Context, Result};
use hdrhistogram::Histogram;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    New,
    RetryStorm,
    /// Every batch timed is one the connection sent before the clock
    /// started: the server's cost of a duplicate under the same load.
    AllRepeats,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::New => "all new",
            Mode::RetryStorm => "retry storm (½ repeats)",
            Mode::AllRepeats => "all repeats",
        }
    }
}

pub const SALES_PER_BATCH: usize = 10;

pub struct RunResult {
    pub mode: Mode,
    pub backend: Backend,
    pub secs: f64,
    pub requests: u64,
    pub sales_sent: u64,
    pub unique_sent: u64,
    pub errors: u64,
    pub latency_us: Histogram<u64>,
    pub rss_max_mb: f64,
    pub stored: i64,
}

fn sale() -> Value {
    let item = |p: u32| {
        json!({"product_id": p, "quantity": "5.000", "unit_price": "25.50",
        "discount_type": "none", "discount_value": "0", "tax_percentage": "19"})
    };
    json!({
        "local_id": uuid::Uuid::now_v7().to_string(),
        "customer_id": 5, "status": "confirmed", "device_id": "BENCH",
        "payment_method": "cash", "created_at": "2026-02-16T10:30:00Z",
        "items": [item(1), item(2), item(3)], "version": 1
    })
}

pub fn new_batch() -> String {
    let sales: Vec<Value> = (0..SALES_PER_BATCH).map(|_| sale()).collect();
    json!({ "sales": sales }).to_string()
}

pub async fn token(
    client: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
    device: Option<&str>,
) -> Result<String> {
    let body: Value = client
        .post(format!("{base}/api/v1/auth/token/"))
        .json(&json!({"username": user, "password": password, "device_id": device}))
        .send()
        .await?
        .json()
        .await?;
    body["token"]
        .as_str()
        .map(str::to_owned)
        .context("no token")
}

/// Creates `n` sellers and returns one token each.
pub async fn sellers(server: &Server, n: usize) -> Result<(String, Vec<String>)> {
    let client = reqwest::Client::new();
    let admin = token(&client, &server.base, "admin", "ruta2026", None).await?;
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let user = format!("bench{i:02}");
        client
            .post(format!("{}/api/v1/users/", server.base))
            .header("Authorization", format!("Token {admin}"))
            .json(&json!({"username": user, "password": "bench-pass", "role": "seller", "seller_code": format!("B{i:02}")}))
            .send()
            .await?;
        tokens.push(
            token(
                &client,
                &server.base,
                &user,
                "bench-pass",
                Some(&format!("BENCH-{i}")),
            )
            .await?,
        );
    }
    Ok((admin, tokens))
}

pub async fn stored_sales(base: &str, admin: &str) -> Result<i64> {
    let body: Value = reqwest::Client::new()
        .get(format!("{base}/api/v1/sales/?limit=1"))
        .header("Authorization", format!("Token {admin}"))
        .send()
        .await?
        .json()
        .await?;
    body["count"].as_i64().context("no count")
}

struct ConnStats {
    requests: u64,
    sales: u64,
    unique: u64,
    errors: u64,
    latency: Histogram<u64>,
}

/// POSTs one upload body as `token`'s seller.
async fn upload(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: String,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(url)
        .header("Authorization", format!("Token {token}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
}

/// Batches sent by each connection before an [`Mode::AllRepeats`] run's
/// clock starts, then sent again in turn.
const SEED_BATCHES: usize = 20;

/// Sends `SEED_BATCHES` new batches with `token`, one after another, and
/// returns them.
async fn seed(base: &str, token: &str) -> Result<Vec<String>> {
    let client = reqwest::Client::new();
    let url = format!("{base}/api/v1/sales/sync/upload/");
    let mut batches = Vec::with_capacity(SEED_BATCHES);
    for _ in 0..SEED_BATCHES {
        let body = new_batch();
        let answer = upload(&client, &url, token, body.clone()).await?;
        anyhow::ensure!(
            answer.status().is_success(),
            "seed batch: {}",
            answer.status()
        );
        batches.push(body);
    }
    Ok(batches)
}

async fn connection(
    base: String,
    token: String,
    mode: Mode,
    replay: Vec<String>,
    stop: Arc<AtomicBool>,
) -> Result<ConnStats> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()?;
    let url = format!("{base}/api/v1/sales/sync/upload/");
    let mut stats = ConnStats {
        requests: 0,
        sales: 0,
        unique: 0,
        errors: 0,
        latency: Histogram::new(3)?,
    };
    let mut previous: Option<String> = None;
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let repeat = mode == Mode::RetryStorm && n % 2 == 1;
        let replayed = usize::try_from(n)
            .ok()
            .and_then(|i| replay.get(i % replay.len().max(1)));
        let body = match (&previous, repeat, replayed) {
            (_, _, Some(r)) => r.clone(),
            (Some(p), true, _) => p.clone(),
            _ => {
                let b = new_batch();
                stats.unique += SALES_PER_BATCH as u64;
                b
            }
        };
        let started = Instant::now();
        let r = upload(&client, &url, &token, body.clone()).await;
        let ok = match r {
            Ok(r) if r.status().is_success() => {
                let v: Value = r.json().await.unwrap_or_default();
                v["summary"]["errors"].as_u64() == Some(0)
            }
            _ => false,
        };
        stats
            .latency
            .record(started.elapsed().as_micros() as u64)
            .ok();
        stats.requests += 1;
        stats.sales += SALES_PER_BATCH as u64;
        if !ok {
            stats.errors += 1;
        }
        previous = Some(body);
        n += 1;
    }
    Ok(stats)
}

pub async fn run(mode: Mode, backend: Backend, secs: u64, connections: usize) -> Result<RunResult> {
    let server = server_proc::start(backend).await?;
    let (admin, tokens) = sellers(&server, connections).await?;
    let mut seeded = Vec::with_capacity(tokens.len());
    for t in &tokens {
        seeded.push(if mode == Mode::AllRepeats {
            seed(&server.base, t).await?
        } else {
            Vec::new()
        });
    }
    let seed_unique = seeded.iter().map(Vec::len).sum::<usize>() * SALES_PER_BATCH;
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let tasks: Vec<_> = tokens
        .into_iter()
        .zip(seeded)
        .map(|(t, replay)| {
            tokio::spawn(connection(
                server.base.clone(),
                t,
                mode,
                replay,
                stop.clone(),
            ))
        })
        .collect();
    let mut rss_max: f64 = 0.0;
    while started.elapsed() < Duration::from_secs(secs) {
        rss_max = rss_max.max(server.rss_mb());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut total = ConnStats {
        requests: 0,
        sales: 0,
        unique: seed_unique as u64,
        errors: 0,
        latency: Histogram::new(3)?,
    };
    for t in tasks {
        let s = t.await??;
        total.requests += s.requests;
        total.sales += s.sales;
        total.unique += s.unique;
        total.errors += s.errors;
        total.latency.add(&s.latency)?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    rss_max = rss_max.max(server.rss_mb());
    let stored = stored_sales(&server.base, &admin).await?;
    server.stop().await;
    Ok(RunResult {
        mode,
        backend,
        secs: elapsed,
        requests: total.requests,
        sales_sent: total.sales,
        unique_sent: total.unique,
        errors: total.errors,
        latency_us: total.latency,
        rss_max_mb: rss_max,
        stored,
    })
}

/// Median per-sale time of a new batch and of the same batch sent again.
pub struct DuplicateCost {
    pub new_ms: f64,
    pub duplicate_ms: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

pub async fn duplicate_cost(backend: Backend) -> Result<DuplicateCost> {
    let server = server_proc::start(backend).await?;
    let (_, tokens) = sellers(&server, 1).await?;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/sales/sync/upload/", server.base);
    let batches: Vec<String> = (0..60).map(|_| new_batch()).collect();
    let timing = |elapsed: Duration| elapsed.as_secs_f64() * 1000.0 / SALES_PER_BATCH as f64;
    let mut new_ms = Vec::new();
    let mut dup_ms = Vec::new();
    // More duplicate passes (`RUTA_BENCH_DUP_PASSES`) give a profiler
    // something to sample; the median stays the same measure.
    let passes = std::env::var("RUTA_BENCH_DUP_PASSES")
        .ok()
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    for pass in 0..=passes {
        for b in &batches {
            let started = Instant::now();
            upload(&client, &url, &tokens[0], b.clone())
                .await?
                .bytes()
                .await?;
            let ms = timing(started.elapsed());
            if pass == 0 {
                new_ms.push(ms)
            } else {
                dup_ms.push(ms)
            }
        }
    }
    server.stop().await;
    Ok(DuplicateCost {
        new_ms: median(new_ms),
        duplicate_ms: median(dup_ms),
    })
}
