//! Disk full on SQLite: the database on a small tmpfs, filled until the
//! server cannot write. It must answer a clear error (507, `{"detail"}`),
//! stay up, lose nothing it acknowledged, and write again once space is
//! freed, without a restart.
use super::*;
use std::io::Write;
use std::path::Path;

/// A tmpfs of `size` mounted on a temp dir, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ruta_full_{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "mount a tmpfs (the fault tests run as root)");
        Self { dir }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: the server may still hold the database open.
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes zeros into `path` until the filesystem is full.
fn fill(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    while f.write_all(&chunk).and_then(|_| f.flush()).is_ok() {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_disk_full_answers_507_and_recovers_without_restart() {
    let fs = Tmpfs::mount("8m");
    let url = format!("sqlite://{}", fs.dir.join("ruta.db").display());
    demo(&url).await;
    let server = Server::start(&url).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut phone = Phone::new(&server.base, "ana", ledger.clone()).await;
    for _ in 0..5 {
        phone.new_batch(3);
        phone.drain(&server.base, Duration::from_secs(10)).await;
    }

    // Fill the disk, then upload until the server cannot store.
    let filler = fs.dir.join("filler");
    fill(&filler);
    let client = http_client();
    let start = std::time::Instant::now();
    let (status, body) = loop {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the disk never filled"
        );
        phone.new_batch(3);
        let Some((status, body)) = phone.send_one_answer(&server.base).await else {
            panic!("the server stopped answering");
        };
        let all_stored = status == 200
            && body["results"]
                .as_array()
                .is_some_and(|r| r.iter().all(|r| r["status"] == "success"));
        if !all_stored {
            break (status, body);
        }
    };
    assert_eq!(status, 507, "{body}");
    assert!(body["detail"].is_string(), "{body}");
    assert!(!phone.is_done(), "some sales were refused");
    let health = client
        .get(format!("{}/health", server.base))
        .send()
        .await
        .unwrap();
    assert!(health.status().as_u16() < 600, "the server still answers");

    // Space again: the same sales go through, no restart.
    std::fs::remove_file(&filler).unwrap();
    phone.drain(&server.base, Duration::from_secs(15)).await;
    phone.new_batch(3);
    phone.drain(&server.base, Duration::from_secs(10)).await;
    let ledger = ledger.lock().unwrap().clone();
    let (sent, stored) = assert_ledger_matches(&url, &server.base, &ledger).await;
    server.assert_no_panic();
    println!(
        "faults: SQLite disk full: {status} {body}; {sent} sales sent, {stored} stored, {} sends retried",
        ledger.retried_sends
    );
}
