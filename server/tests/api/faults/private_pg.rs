//! A throwaway PostgreSQL cluster of the test's own (temp dir, own port),
//! so it can be stopped and started without touching the shared cluster
//! other tests use. PostgreSQL refuses to run as root, so the cluster runs
//! as the `postgres` user when the tests run as root.
use super::free_port;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct PrivatePg {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

fn pg_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    found.sort();
    found
        .pop()
        .filter(|b| b.join("initdb").exists())
        .expect("initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool, as `postgres` when we are root.
fn run(bin: &Path, tool: &str, args: &[&str]) -> bool {
    let tool = bin.join(tool);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(tool);
        c
    } else {
        Command::new(tool)
    };
    cmd.args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

impl PrivatePg {
    /// initdb into a temp dir and start the cluster on a free port.
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("ruta_pg_{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            let ok = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&dir)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "chown the cluster dir to postgres");
        }
        let pg = Self {
            bin: pg_bin(),
            port: free_port(),
            dir,
        };
        let data = pg.data();
        assert!(
            run(
                &pg.bin,
                "initdb",
                &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"]
            ),
            "initdb"
        );
        pg.start_again();
        pg
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the (stopped) cluster and waits until it accepts connections.
    pub fn start_again(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log").display().to_string();
        assert!(
            run(
                &self.bin,
                "pg_ctl",
                &["-D", &self.data(), "-o", &opts, "-l", &log, "-w", "start"]
            ),
            "pg_ctl start"
        );
    }

    /// `pg_ctl stop -m immediate`: the cluster dies as on a crash.
    pub fn stop_immediate(&self) {
        assert!(
            run(
                &self.bin,
                "pg_ctl",
                &["-D", &self.data(), "-m", "immediate", "-w", "stop"]
            ),
            "pg_ctl stop"
        );
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = run(
            &self.bin,
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
