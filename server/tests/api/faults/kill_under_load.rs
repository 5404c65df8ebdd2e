//! `kill -9` under load: phones keep uploading while the server process is
//! killed with SIGKILL at random moments and started again on the same
//! database. Nothing acknowledged may be lost, nothing doubled, and the
//! numbers and the log chain must come out whole.
use super::*;
use crate::helpers::{Backend, TestDb};
use std::sync::atomic::{AtomicBool, Ordering};

const PHONES: usize = 6;
const BATCH: usize = 3;
const KILLS: usize = 3;

/// Runs the phones against `server` while it is killed `KILLS` times;
/// returns the ledger once every phone has drained.
pub async fn load_with_kills(server: &mut Server, rng: &mut Lcg) -> Ledger {
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut phones = Vec::new();
    for p in 0..PHONES {
        let user = ["ana", "beto", "carla"][p % 3];
        let mut phone = Phone::new(&server.base, user, ledger.clone()).await;
        let (base, stop) = (server.base.clone(), stop.clone());
        phones.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                // A phone keeps selling while offline, so its queue grows.
                if phone.pending.len() < 8 {
                    phone.new_batch(BATCH);
                }
                if phone.send_one(&base).await != Some(200) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            phone.drain(&base, Duration::from_secs(30)).await;
        }));
    }
    for _ in 0..KILLS {
        // The fault schedule, not a wait on a condition: a random moment.
        tokio::time::sleep(Duration::from_millis(rng.range(300, 1200))).await;
        server.kill9().await;
        server.restart().await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for p in phones {
        p.await.unwrap();
    }
    Arc::try_unwrap(ledger)
        .ok()
        .unwrap()
        .into_inner()
        .unwrap()
}

async fn kill9_under_load(backend: Backend) {
    let db = TestDb::new(backend).await;
    demo(&db.url).await;
    let mut server = Server::start(&db.url).await;
    let mut rng = Lcg::seeded();
    let ledger = load_with_kills(&mut server, &mut rng).await;
    let (sent, stored) = assert_ledger_matches(&db.url, &server.base, &ledger).await;
    server.assert_no_panic();
    println!(
        "faults: {backend:?}: {sent} sales sent, {KILLS} kills -9, {stored} stored, {} sends retried",
        ledger.retried_sends
    );
    assert!(ledger.retried_sends > 0, "the kills must hit some uploads");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill9_under_load_sqlite() {
    kill9_under_load(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill9_under_load_postgres() {
    kill9_under_load(Backend::Postgres).await
}
