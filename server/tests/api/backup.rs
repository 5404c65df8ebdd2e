//! `ruta backup` / `ruta restore` on SQLite, against a real `ruta serve`
//! process that keeps taking uploads while the backup is made.
use crate::concurrency::assert_gapless;
use crate::helpers::*;
use reqwest::Client;
use serde_json::{json, Value};
use sqlx::{Connection, Row};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::process::{Child, Command};

struct Server {
    base: String,
    child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn serve(db_url: &str) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("serve")
        .env("RUTA_DATABASE_URL", db_url)
        .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
        .env("RUTA_SYNC_RATE", "off")
        .env("RUTA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    eventually(Duration::from_secs(30), || async {
        let r = client.get(format!("{base}/health")).send().await.ok()?;
        r.status().is_success().then_some(())
    })
    .await;
    Server { base, child }
}

/// Runs `ruta ARGS` on the database `db_url` and waits for it.
async fn ruta(db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruta"))
        .args(args)
        .env("RUTA_DATABASE_URL", db_url)
        .env("RUTA_LOG", "warn")
        .output()
        .await
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn login(base: &str, user: &str) -> String {
    let body: Value = Client::new()
        .post(format!("{base}/api/v1/auth/token/"))
        .json(&json!({"username": user, "password": "ruta2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["token"].as_str().unwrap().to_owned()
}

async fn get(base: &str, token: &str, path: &str) -> Value {
    Client::new()
        .get(format!("{base}{path}"))
        .header("Authorization", format!("Token {token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Uploads batches of five new sales until `stop`, counting every sale the
/// server acknowledged as stored.
async fn upload_until(base: String, token: String, stop: Arc<AtomicBool>, acked: Arc<AtomicI64>) {
    let client = Client::new();
    while !stop.load(Ordering::Relaxed) {
        let sales: Vec<Value> = (0..5).map(|_| sale(&new_id())).collect();
        let body: Value = client
            .post(format!("{base}/api/v1/sales/sync/upload/"))
            .header("Authorization", format!("Token {token}"))
            .json(&json!({ "sales": sales }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["summary"]["successful"], 5, "{body}");
        acked.fetch_add(5, Ordering::SeqCst);
    }
}

/// What a backup file holds: its sale count, after checking that every
/// sale is whole (number, lines) and the numbers have no gaps.
async fn inspect(path: &Path) -> i64 {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let rows = sqlx::query("SELECT number, lines, total FROM sales")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let mut numbers = Vec::new();
    for row in &rows {
        let number: Option<String> = row.get(0);
        let lines: Option<String> = row.get(1);
        let total: Option<String> = row.get(2);
        let lines: Value = serde_json::from_str(lines.as_deref().unwrap_or("null")).unwrap();
        assert_eq!(lines.as_array().map(Vec::len), Some(1), "{lines}");
        assert_eq!(lines[0]["product_id"], 10, "{lines}");
        assert!(total.is_some());
        numbers.push(number.expect("every stored sale has a number"));
    }
    assert_gapless(&numbers);
    conn.close().await.unwrap();
    rows.len() as i64
}

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "ruta_backup_{}_{name}",
        uuid::Uuid::new_v4().simple()
    ))
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_load_restores_to_a_whole_consistent_database() {
    let db = TestDb::new(Backend::Sqlite).await;
    assert!(ruta(&db.url, &["demo"]).await.status.success());
    let live = serve(&db.url).await;
    let token = login(&live.base, "ana").await;

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicI64::new(0));
    let uploaders: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(upload_until(
                live.base.clone(),
                token.clone(),
                stop.clone(),
                acked.clone(),
            ))
        })
        .collect();
    eventually(Duration::from_secs(60), || async {
        (acked.load(Ordering::SeqCst) >= 100).then_some(())
    })
    .await;

    let backup = scratch("copy.db");
    let acked_before = acked.load(Ordering::SeqCst);
    let out = ruta(&db.url, &["backup", backup.to_str().unwrap()]).await;
    let acked_after_backup = acked.load(Ordering::SeqCst);
    assert!(out.status.success(), "{}", text(&out));
    // The load went on after the backup, so the backup is a snapshot.
    eventually(Duration::from_secs(60), || async {
        (acked.load(Ordering::SeqCst) >= acked_after_backup + 50).then_some(())
    })
    .await;
    stop.store(true, Ordering::SeqCst);
    for u in uploaders {
        u.await.unwrap();
    }
    let final_count = acked.load(Ordering::SeqCst);

    let in_backup = inspect(&backup).await;
    assert!(
        acked_before <= in_backup && in_backup <= final_count,
        "acknowledged before {acked_before} ≤ backup {in_backup} ≤ final {final_count}"
    );
    assert!(
        in_backup < final_count,
        "uploads went on during and after it"
    );

    // Never over an existing file without --force.
    let again = ruta(&db.url, &["backup", backup.to_str().unwrap()]).await;
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));
    assert_eq!(
        inspect(&backup).await,
        in_backup,
        "the old backup is untouched"
    );

    // A running server's database is not restored over.
    let refused = ruta(&db.url, &["restore", backup.to_str().unwrap()]).await;
    assert!(!refused.status.success());
    assert!(text(&refused).contains("in use"), "{}", text(&refused));

    // Restored into a new place, it serves what it holds.
    let restored = scratch("restored.db");
    let restored_url = format!("sqlite://{}", restored.display());
    let out = ruta(&restored_url, &["restore", backup.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out));
    let server = serve(&restored_url).await;
    let admin = login(&server.base, "admin").await;
    let verified = get(&server.base, &admin, "/api/v1/sync/log/verify/").await;
    assert_eq!(verified["ok"], true, "{verified}");
    let listed = get(&server.base, &admin, "/api/v1/sales/?limit=1").await;
    assert_eq!(listed["count"], in_backup, "{listed}");
    let live_admin = login(&live.base, "admin").await;
    let live_listed = get(&live.base, &live_admin, "/api/v1/sales/?limit=1").await;
    assert_eq!(live_listed["count"], final_count);
    drop(server);

    remove_db(&backup);
    remove_db(&restored);
    drop(live);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_replaces_a_stopped_database_and_refuses_a_broken_backup() {
    let db = TestDb::new(Backend::Sqlite).await;
    assert!(ruta(&db.url, &["demo"]).await.status.success());
    let backup = scratch("empty.db");
    let out = ruta(&db.url, &["backup", backup.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out));

    // The live database moves on: one sale, then the server stops.
    let mut live = serve(&db.url).await;
    let token = login(&live.base, "ana").await;
    let r = Client::new()
        .post(format!("{}/api/v1/sales/sync/upload/", live.base))
        .header("Authorization", format!("Token {token}"))
        .json(&json!({"sales": [sale(&new_id())]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    live.child.kill().await.unwrap();

    // Not a database at all: refused, nothing replaced.
    let junk = scratch("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let out = ruta(&db.url, &["restore", junk.to_str().unwrap()]).await;
    assert!(!out.status.success());
    assert!(
        text(&out).contains("not a usable Ruta backup"),
        "{}",
        text(&out)
    );

    let out = ruta(&db.url, &["restore", backup.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out));
    let db_path = db.url.trim_start_matches("sqlite://");
    assert!(!Path::new(&format!("{db_path}-wal")).exists());
    let server = serve(&db.url).await;
    let admin = login(&server.base, "admin").await;
    let listed = get(&server.base, &admin, "/api/v1/sales/?limit=1").await;
    assert_eq!(listed["count"], 0, "the sale made after the backup is gone");

    // --force replaces an existing backup.
    let out = ruta(&db.url, &["backup", "--force", backup.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out));
    drop(server);
    remove_db(&backup);
    let _ = std::fs::remove_file(&junk);
}

#[tokio::test]
async fn backup_on_postgres_points_to_pg_dump() {
    let out = ruta(
        "postgres://postgres@127.0.0.1:5432/none",
        &["backup", "x.db"],
    )
    .await;
    assert!(!out.status.success());
    assert!(text(&out).contains("pg_dump"), "{}", text(&out));
}
