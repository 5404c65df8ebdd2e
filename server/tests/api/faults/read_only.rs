//! A read-only database on SQLite: the filesystem under it fails and the
//! kernel remounts it read-only (ext4 `errors=remount-ro`, forced through
//! `/sys/fs/ext4/<dev>/trigger_fs_error`, as a failing disk would). The
//! server must answer 503 with `{"detail"}`, never panic, and lose nothing
//! it acknowledged. An ext4 that went read-only on an error stays so until
//! it is unmounted and checked, which needs the server stopped: recovery
//! is fsck, mount, restart (docs/deploy.md), after which every sale the
//! phone kept goes through once.
use super::*;
use std::path::Path;
use std::process::Command as StdCommand;

fn run(program: &str, args: &[&str]) -> bool {
    StdCommand::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A small ext4 image loop-mounted on a temp dir, unmounted and deleted
/// when dropped.
struct LoopExt4 {
    image: PathBuf,
    dir: PathBuf,
}

impl LoopExt4 {
    fn create(size_mb: u64) -> Self {
        let base = std::env::temp_dir().join(format!("ruta_ro_{}", uuid::Uuid::new_v4().simple()));
        let image = base.with_extension("img");
        let dir = base;
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::File::create(&image)
            .and_then(|f| f.set_len(size_mb << 20))
            .unwrap();
        assert!(
            run("mkfs.ext4", &["-q", "-F", image.to_str().unwrap()]),
            "mkfs.ext4 (e2fsprogs)"
        );
        let fs = Self { image, dir };
        fs.mount();
        fs
    }

    fn mount(&self) {
        assert!(
            run(
                "mount",
                &[
                    "-o",
                    "loop,errors=remount-ro",
                    self.image.to_str().unwrap(),
                    self.dir.to_str().unwrap()
                ]
            ),
            "loop-mount an ext4 image (the fault tests run as root)"
        );
    }

    /// The loop device's name (`loop3`), as /sys/fs/ext4 knows it.
    fn device(&self) -> String {
        let out = StdCommand::new("findmnt")
            .args(["-n", "-o", "SOURCE"])
            .arg(&self.dir)
            .output()
            .unwrap();
        let source = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        Path::new(&source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| panic!("no loop device behind {}", self.dir.display()))
    }

    /// What a failing disk does: an ext4 error, so the kernel remounts the
    /// filesystem read-only under the running server.
    fn fail(&self) {
        let trigger = format!("/sys/fs/ext4/{}/trigger_fs_error", self.device());
        std::fs::write(&trigger, "1").unwrap_or_else(|e| panic!("{trigger}: {e}"));
        assert!(self.read_only(), "the filesystem went read-only");
    }

    /// Whether a new file cannot be created here (EROFS). Newer kernels
    /// show such an ext4 as `rw,…,emergency_ro` rather than `ro`, so the
    /// mount options are not asked.
    fn read_only(&self) -> bool {
        let probe = self
            .dir
            .join(format!("probe-{}", uuid::Uuid::new_v4().simple()));
        match std::fs::File::create(&probe) {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
                false
            }
            Err(e) => e.kind() == std::io::ErrorKind::ReadOnlyFilesystem,
        }
    }

    /// What the operator does once the server is stopped: unmount, check
    /// and repair, mount again.
    fn repair(&self) {
        assert!(run("umount", &[self.dir.to_str().unwrap()]), "umount");
        assert!(
            StdCommand::new("e2fsck")
                .args(["-f", "-y"])
                .arg(&self.image)
                .stdout(Stdio::null())
                .status()
                .map(|s| s.code().unwrap_or(8) < 4)
                .unwrap_or(false),
            "e2fsck repairs the image"
        );
        self.mount();
        assert!(!self.read_only(), "writable again");
    }
}

impl Drop for LoopExt4 {
    fn drop(&mut self) {
        // Lazy: a failed test may leave the server holding the database;
        // the loop device is detached automatically once it is unmounted.
        let _ = StdCommand::new("umount").arg("-l").arg(&self.dir).status();
        let _ = std::fs::remove_dir_all(&self.dir);
        let _ = std::fs::remove_file(&self.image);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_on_a_filesystem_gone_read_only_answers_503_and_loses_nothing() {
    let fs = LoopExt4::create(32);
    let url = format!("sqlite://{}", fs.dir.join("ruta.db").display());
    demo(&url).await;
    let mut server = Server::start(&url).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut phone = Phone::new(&server.base, "ana", ledger.clone()).await;
    for _ in 0..5 {
        phone.new_batch(3);
        phone.drain(&server.base, Duration::from_secs(10)).await;
    }
    let acked_before = ledger.lock().unwrap().acked.len();
    let client = http_client();
    let admin = login(&client, &server.base, "admin").await;

    fs.fail();
    // Every upload now is refused as a whole, in the contract's shape, and
    // the server keeps answering (no hang: the client times out at 5 s).
    let mut refusals = Vec::new();
    for _ in 0..4 {
        phone.new_batch(3);
        let Some((status, body)) = phone.send_one_answer(&server.base).await else {
            panic!("the server stopped answering");
        };
        refusals.push((status, body));
    }
    for (status, body) in &refusals {
        assert_eq!(*status, 503, "{body}");
        assert!(body["detail"].is_string(), "{body}");
    }
    assert_eq!(
        ledger.lock().unwrap().acked.len(),
        acked_before,
        "nothing acknowledged while read-only"
    );
    // Reads still work: the office can see what was stored.
    let sales = client
        .get(format!("{}/api/v1/sales/?limit=5", server.base))
        .header("Authorization", format!("Token {admin}"))
        .send()
        .await
        .unwrap();
    assert_eq!(sales.status().as_u16(), 200);
    server.assert_no_panic();

    server.kill9().await;
    fs.repair();
    server.restart().await;
    phone.drain(&server.base, Duration::from_secs(15)).await;
    let ledger = ledger.lock().unwrap().clone();
    let (sent, stored) = assert_ledger_matches(&url, &server.base, &ledger).await;
    server.assert_no_panic();
    println!(
        "faults: SQLite read-only: {} refused with {} {}; after fsck and restart {sent} sales sent, {stored} stored, {} sends retried",
        refusals.len(),
        refusals[0].0,
        refusals[0].1,
        ledger.retried_sends
    );
}
