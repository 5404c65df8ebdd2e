//! A real `ruta serve` child process for the runtime tests (signals,
//! HTTPS, logs): started on a given database with extra variables, its
//! JSON logs in a directory of its own.
use crate::helpers::eventually;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct ServeChild {
    pub port: u16,
    pub child: Child,
    pub log_dir: PathBuf,
}

/// Loads the demo data into `db_url` with `ruta demo`.
pub async fn load_demo(db_url: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("demo")
        .env("RUTA_DATABASE_URL", db_url)
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success());
}

impl ServeChild {
    /// Starts the server and waits until `ready` (a URL) answers.
    pub async fn start(db_url: &str, env: &[(&str, String)]) -> Self {
        let port = free_port();
        let log_dir = std::env::temp_dir().join(format!("ruta-logs-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&log_dir).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ruta"));
        cmd.arg("serve")
            .env("RUTA_DATABASE_URL", db_url)
            .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
            .env("RUTA_SYNC_RATE", "off")
            .env("RUTA_LOG", "info,sqlx=warn")
            .env("RUTA_LOG_DIR", &log_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap();
        Self {
            port,
            child,
            log_dir,
        }
    }

    /// Waits until `GET {base}/health` answers 200 with `client`.
    pub async fn wait_ready(&self, client: &reqwest::Client, base: &str) {
        eventually(Duration::from_secs(30), || async {
            let r = client.get(format!("{base}/health")).send().await.ok()?;
            r.status().is_success().then_some(())
        })
        .await;
    }

    pub fn pid(&self) -> u32 {
        self.child.id().unwrap()
    }

    /// Sends a signal with the `kill` command (TERM, INT, HUP…).
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Everything the server wrote to its log files so far.
    pub fn logs(&self) -> String {
        let mut text = String::new();
        for entry in std::fs::read_dir(&self.log_dir).unwrap() {
            text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
        }
        text
    }
}

impl Drop for ServeChild {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.log_dir);
    }
}
