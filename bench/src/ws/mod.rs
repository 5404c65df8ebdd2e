//! WebSocket fan-out (issue 4): 1,000 subscribers on ten sellers' cargue
//! streams (100 each) while check POSTs arrive at a fixed rate; measures
//! POST-send → event-receipt latency on every subscriber, counts missed and
//! duplicated events, and samples each server's RSS.
//!
//! On PostgreSQL two `ruta serve` processes share one database, half of
//! every sheet's subscribers sit on each and the POSTs alternate between
//! them, so half the deliveries cross instances (LISTEN/NOTIFY).
//! Client and server share the machine's cores; the report shows the CPU
//! time each side used.
mod report;
mod setup;
mod subscriber;
mod tally;
mod ticker;

use crate::sampler::{self, Rss};
use crate::server_proc::{self, cpu_secs_of, Backend, Server};
use anyhow::{bail, Result};
use hdrhistogram::Histogram;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use subscriber::Outcome;
use tokio::sync::{mpsc, watch, Semaphore};

pub use report::print;

pub const SHEETS: usize = 10;
pub const PER_SHEET: usize = 100;
const LINES: usize = 5;
const RATE: u32 = 100;
/// Handshakes in flight while the subscribers connect.
const CONNECTING: usize = 50;
const DRAIN: Duration = Duration::from_secs(15);

pub struct WsResult {
    pub backend: Backend,
    pub secs: u64,
    pub ticks: u64,
    pub ticking: Duration,
    pub post_errors: u64,
    pub first_post_error: Option<String>,
    pub post_latency_us: Histogram<u64>,
    pub tally: tally::Tally,
    /// Close codes the server sent subscribers, with counts.
    pub closes: Vec<(Option<u16>, u64)>,
    pub gave_up: u64,
    pub drained: bool,
    /// Per server instance, then the bench itself.
    pub rss: Vec<Rss>,
    pub server_cpu_secs: Vec<f64>,
    /// Wall time over which the CPU seconds were counted (load + drain).
    pub cpu_window: Duration,
    pub client_cpu_secs: f64,
    pub warnings: Vec<String>,
}

async fn servers(backend: Backend) -> Result<Vec<Server>> {
    let first = server_proc::start_logging(backend, "warn").await?;
    if backend == Backend::Sqlite {
        return Ok(vec![first]);
    }
    match first.another(2, "warn").await {
        Ok(second) => Ok(vec![first, second]),
        Err(e) => {
            first.stop().await;
            Err(e)
        }
    }
}

pub async fn run(backend: Backend, secs: u64) -> Result<WsResult> {
    let servers = servers(backend).await?;
    let result = measure(backend, secs, &servers).await;
    // The first instance owns (drops) the database: stop it last.
    for s in servers.into_iter().rev() {
        s.stop().await;
    }
    result
}

struct Subscribers {
    tasks: Vec<tokio::task::JoinHandle<Outcome>>,
    progress: Vec<Arc<AtomicI64>>,
    stop: watch::Sender<bool>,
}

/// Connects every subscriber and waits for all the `hello`s.
async fn subscribe(
    servers: &[Server],
    fx: &setup::Fixture,
    capacity: usize,
) -> Result<Subscribers> {
    let (stop, stopped) = watch::channel(false);
    let (ready_tx, mut ready) = mpsc::channel(SHEETS * PER_SHEET);
    let gate = Arc::new(Semaphore::new(CONNECTING));
    let mut subs = Subscribers {
        tasks: Vec::new(),
        progress: Vec::new(),
        stop,
    };
    for sheet in 0..SHEETS {
        for j in 0..PER_SHEET {
            let instance = j % servers.len();
            // Spread over the two tokens the fixture has.
            let token = if j % 2 == 0 {
                &fx.admin
            } else {
                &fx.dispatcher
            };
            let url = format!(
                "{}/ws/cargue/{}/?token={token}",
                servers[instance].base.replace("http://", "ws://"),
                fx.sheets[sheet].code
            );
            let progress = Arc::new(AtomicI64::new(0));
            subs.progress.push(progress.clone());
            subs.tasks.push(tokio::spawn(subscriber::run(
                subscriber::Spec {
                    sheet,
                    instance,
                    url,
                },
                gate.clone(),
                ready_tx.clone(),
                progress,
                stopped.clone(),
                capacity,
            )));
        }
    }
    drop(ready_tx);
    let deadline = Instant::now() + Duration::from_secs(120);
    for _ in 0..SHEETS * PER_SHEET {
        match tokio::time::timeout_at(deadline.into(), ready.recv()).await {
            Ok(Some(Ok(()))) => {}
            Ok(Some(Err(e))) => bail!("a subscriber could not connect: {e:#}"),
            Ok(None) | Err(_) => bail!("subscribers did not all connect in time"),
        }
    }
    Ok(subs)
}

/// Waits until every subscriber has its sheet's last event, up to DRAIN.
async fn drain(subs: &Subscribers, last_seq: &[i64]) -> bool {
    let deadline = Instant::now() + DRAIN;
    loop {
        let done = subs
            .progress
            .iter()
            .enumerate()
            .all(|(i, p)| p.load(Ordering::Relaxed) >= last_seq[i / PER_SHEET]);
        if done {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn measure(backend: Backend, secs: u64, servers: &[Server]) -> Result<WsResult> {
    let base = &servers[0].base;
    let fx = setup::prepare(base, SHEETS, LINES).await?;
    let mut pids: Vec<String> = servers.iter().map(|s| s.pid.to_string()).collect();
    pids.push("self".into());
    let rss = sampler::start(pids.clone(), Duration::from_millis(250));
    let per_sub = (u64::from(RATE) * secs) as usize / SHEETS + 16;
    let subs = subscribe(servers, &fx, per_sub).await?;

    let cpu_before: Vec<f64> = pids.iter().map(|p| cpu_secs_of(p)).collect();
    let window = Instant::now();
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    let load = ticker::run(&bases, &fx.admin, &fx.sheets, RATE, secs).await;
    let mut last_seq = Vec::with_capacity(SHEETS);
    for sheet in &fx.sheets {
        last_seq.push(setup::latest_seq(base, &fx.admin, sheet).await?);
    }
    let drained = drain(&subs, &last_seq).await;
    let cpu: Vec<f64> = pids
        .iter()
        .zip(&cpu_before)
        .map(|(p, before)| cpu_secs_of(p) - before)
        .collect();
    let window = window.elapsed();
    let _ = subs.stop.send(true);
    let mut outcomes = Vec::with_capacity(subs.tasks.len());
    for t in subs.tasks {
        outcomes.push(t.await?);
    }
    let rss = rss.finish().await;

    let tally = tally::count(&load.posts, &mut outcomes, &last_seq)?;
    let mut post_latency_us = Histogram::new_with_bounds(1, 600_000_000, 3)?;
    for p in &load.posts {
        post_latency_us.saturating_record((p.latency.as_micros() as u64).max(1));
    }
    let mut closes: Vec<(Option<u16>, u64)> = Vec::new();
    for code in outcomes.iter().flat_map(|o| &o.closes) {
        match closes.iter_mut().find(|(c, _)| c == code) {
            Some((_, n)) => *n += 1,
            None => closes.push((*code, 1)),
        }
    }
    let (server_cpu, client_cpu) = cpu.split_at(servers.len());
    Ok(WsResult {
        backend,
        secs,
        ticks: load.posts.len() as u64,
        ticking: load.ticking,
        post_errors: load.posts.iter().filter(|p| p.error.is_some()).count() as u64,
        first_post_error: load.posts.iter().find_map(|p| p.error.clone()),
        post_latency_us,
        tally,
        closes,
        gave_up: outcomes.iter().filter(|o| o.gave_up.is_some()).count() as u64,
        drained,
        rss,
        server_cpu_secs: server_cpu.to_vec(),
        cpu_window: window,
        client_cpu_secs: client_cpu.iter().sum(),
        warnings: servers.iter().flat_map(Server::warnings).collect(),
    })
}
