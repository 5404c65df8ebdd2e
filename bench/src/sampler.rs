//! Samples the resident memory of some processes at a fixed period, in the
//! background, keeping the peak and the latest value of each.
use crate::server_proc::rss_mb_of;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, Default)]
pub struct Rss {
    pub peak_mb: f64,
    pub end_mb: f64,
}

pub struct Sampler {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    seen: Arc<Mutex<Vec<Rss>>>,
}

/// Starts sampling `pids` (`"self"` works too) every `period`.
pub fn start(pids: Vec<String>, period: Duration) -> Sampler {
    let (stop, mut stopped) = watch::channel(false);
    let seen = Arc::new(Mutex::new(vec![Rss::default(); pids.len()]));
    let shared = seen.clone();
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last = false;
        loop {
            let now: Vec<f64> = pids.iter().map(|p| rss_mb_of(p)).collect();
            if let Ok(mut seen) = shared.lock() {
                for (s, mb) in seen.iter_mut().zip(now) {
                    s.peak_mb = s.peak_mb.max(mb);
                    s.end_mb = mb;
                }
            }
            if last {
                return;
            }
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => last = true,
            }
        }
    });
    Sampler { stop, task, seen }
}

impl Sampler {
    /// Takes a last sample and returns peak and end per process, in the
    /// order given to [`start`].
    pub async fn finish(self) -> Vec<Rss> {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}
