//! A `ruta serve` process on a free port with a fresh database.
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub async fn postgres_available() -> bool {
    sqlx::any::install_default_drivers();
    <sqlx::AnyConnection as sqlx::Connection>::connect(PG_ADMIN)
        .await
        .is_ok()
}

pub struct Server {
    pub base: String,
    pub pid: u32,
    child: Child,
    cleanup: Option<String>,
}

fn binary() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    root.join("target").join("release").join("ruta")
}

pub async fn start(backend: Backend) -> Result<Server> {
    let name = format!("ruta_bench_{}", uuid::Uuid::new_v4().simple());
    let (url, cleanup) = match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir)?;
            (format!("sqlite://{}/ruta.db", dir.display()), None)
        }
        Backend::Postgres => {
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(PG_ADMIN).await?;
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str()).await?;
            (
                format!("postgres://postgres@127.0.0.1:5432/{name}"),
                Some(name.clone()),
            )
        }
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(binary())
        .args(["serve", "--demo"])
        .env("RUTA_DATABASE_URL", &url)
        .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
        .env("RUTA_SYNC_RATE", "off")
        .env("RUTA_LOG", "error")
        // As `make run` deploys it (see BENCHMARKS.md, RSS).
        .env("MALLOC_MMAP_THRESHOLD_", "131072")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (run `make build` first)",
                binary().display()
            )
        })?;
    let pid = child.id().unwrap_or(0);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let start = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/health")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        if start.elapsed() > Duration::from_secs(60) {
            bail!("server did not become healthy");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(Server {
        base,
        pid,
        child,
        cleanup,
    })
}

impl Server {
    /// Resident memory of the server process, in MB.
    pub fn rss_mb(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        if let Some(name) = self.cleanup.take() {
            if let Ok(mut conn) = <sqlx::AnyConnection as sqlx::Connection>::connect(PG_ADMIN).await
            {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = sqlx::Executor::execute(&mut conn, sql.as_str()).await;
            }
        }
    }
}
