//! The load: `rate` check POSTs per second for `secs` seconds, as admin,
//! toggling `d` on the sheets' lines round-robin (sheet after sheet, then
//! the next line), alternating between the server instances.
//!
//! Pacing is `tokio::time::interval` with `MissedTickBehavior::Burst`
//! (tokio's default): if the shared machine delays the ticker, the late
//! ticks fire at once to catch up, so the run offers exactly
//! `rate × secs` ticks. Latency is measured from each POST's own send
//! instant, so a late tick does not hide in the numbers as queueing.
use super::setup::Sheet;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;

/// One POST as sent and answered.
pub struct Post {
    pub sheet: u16,
    pub product_id: u32,
    pub instance: u8,
    pub sent: Instant,
    pub latency: Duration,
    /// The line's `version` in the answer (`None`: failed).
    pub version: Option<u32>,
    pub error: Option<String>,
}

pub struct Load {
    pub posts: Vec<Post>,
    /// From the first to the last tick.
    pub ticking: Duration,
}

struct Target {
    url: String,
    body: String,
    sheet: u16,
    product_id: u32,
    instance: u8,
}

fn targets(bases: &[String], sheets: &[Sheet], ticks: usize) -> Vec<Target> {
    let lines = sheets
        .iter()
        .map(|s| s.products.len())
        .min()
        .unwrap_or(1)
        .max(1);
    let mut d = vec![vec![false; lines]; sheets.len()];
    (0..ticks)
        .map(|i| {
            let (s, l) = (i % sheets.len(), (i / sheets.len()) % lines);
            let sheet = &sheets[s];
            d[s][l] = !d[s][l];
            // Tick after tick alternate, and each sheet's ticks alternate too.
            let instance = (i + i / sheets.len()) % bases.len();
            Target {
                url: format!("{}/api/v1/cargue/{}/check/", bases[instance], sheet.code),
                body: json!({"date": sheet.date, "product_id": sheet.products[l], "d": d[s][l]})
                    .to_string(),
                sheet: s as u16,
                product_id: sheet.products[l] as u32,
                instance: instance as u8,
            }
        })
        .collect()
}

async fn post(client: reqwest::Client, auth: Arc<str>, t: Target) -> Post {
    let sent = Instant::now();
    let answer = async {
        let r = client
            .post(&t.url)
            .header("Authorization", &*auth)
            .header("content-type", "application/json")
            .body(t.body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = r.status();
        let body = r.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)));
        }
        let line: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        line["version"]
            .as_u64()
            .map(|v| v as u32)
            .ok_or_else(|| "answer without version".to_owned())
    }
    .await;
    Post {
        sheet: t.sheet,
        product_id: t.product_id,
        instance: t.instance,
        sent,
        latency: sent.elapsed(),
        version: answer.as_ref().ok().copied(),
        error: answer.err(),
    }
}

/// Sends the ticks and waits for every answer.
pub async fn run(bases: &[String], admin: &str, sheets: &[Sheet], rate: u32, secs: u64) -> Load {
    let ticks = (u64::from(rate) * secs) as usize;
    let client = reqwest::Client::new();
    let auth: Arc<str> = format!("Token {admin}").into();
    let mut interval = tokio::time::interval(Duration::from_secs(1) / rate);
    interval.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let mut tasks = Vec::with_capacity(ticks);
    let mut first = None;
    for t in targets(bases, sheets, ticks) {
        interval.tick().await;
        first.get_or_insert_with(Instant::now);
        tasks.push(tokio::spawn(post(client.clone(), auth.clone(), t)));
    }
    let ticking = first.map(|f| f.elapsed()).unwrap_or_default();
    let mut posts = Vec::with_capacity(ticks);
    for task in tasks {
        if let Ok(p) = task.await {
            posts.push(p);
        }
    }
    Load { posts, ticking }
}
