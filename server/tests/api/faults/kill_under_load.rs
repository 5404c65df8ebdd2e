//! `kill -9` under load: phones keep uploading while the server process is
//! killed with SIGKILL at random moments and started again on the same
//! database. Nothing acknowledged may be lost, nothing doubled, and the
//! numbers and the log chain must come out whole.
use super::*;
use crate::helpers::{Backend, TestDb};

const PHONES: usize = 6;
const BATCH: usize = 3;
const KILLS: usize = 3;

async fn kill9_under_load(backend: Backend) {
    let db = TestDb::new(backend).await;
    demo(&db.url).await;
    let mut server = Server::start(&db.url).await;
    let mut rng = Lcg::seeded();
    let load = Load::start(std::slice::from_ref(&server.base), PHONES, BATCH).await;
    for _ in 0..KILLS {
        // The fault schedule, not a wait on a condition: a random moment.
        tokio::time::sleep(Duration::from_millis(rng.range(300, 1200))).await;
        server.kill9().await;
        server.restart().await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ledger = load.finish().await;
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
