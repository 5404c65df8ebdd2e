//! A `ruta serve` process on a free port with a fresh database — or a
//! second process on the same PostgreSQL database, for scale-out runs.
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
    /// The server's stderr (its text log at `RUTA_LOG` level).
    pub log: PathBuf,
    url: String,
    child: Child,
    /// PostgreSQL database to drop on stop (only the first instance owns it).
    cleanup: Option<String>,
}

/// `target/release/ruta` of this workspace, or `RUTA_BENCH_SERVER` (to
/// measure another build of the server with the same load).
fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("RUTA_BENCH_SERVER") {
        return PathBuf::from(path);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    root.join("target").join("release").join("ruta")
}

/// Starts `ruta serve --demo` on a fresh database, logging errors only.
pub async fn start(backend: Backend) -> Result<Server> {
    start_logging(backend, "error").await
}

/// [`start`] with another `RUTA_LOG` filter (e.g. `warn`).
pub async fn start_logging(backend: Backend, log_filter: &str) -> Result<Server> {
    let name = format!("ruta_bench_{}", uuid::Uuid::new_v4().simple());
    let dir = std::env::temp_dir().join(&name);
    std::fs::create_dir_all(&dir)?;
    let (url, cleanup) = match backend {
        Backend::Sqlite => (format!("sqlite://{}/ruta.db", dir.display()), None),
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
    let log = dir.join("serve-1.log");
    let mut server = spawn(&url, true, log, log_filter).await?;
    server.cleanup = cleanup;
    Ok(server)
}

/// Spawns a process and waits until `/health` answers.
async fn spawn(url: &str, demo: bool, log: PathBuf, log_filter: &str) -> Result<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut args = vec!["serve"];
    if demo {
        args.push("--demo");
    }
    let child = Command::new(binary())
        .args(&args)
        .env("RUTA_DATABASE_URL", url)
        .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
        .env("RUTA_SYNC_RATE", "off")
        .env("RUTA_LOG", log_filter)
        .env("NO_COLOR", "1")
        // As `make run` deploys it (see BENCHMARKS.md, RSS).
        .env("MALLOC_MMAP_THRESHOLD_", "131072")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?)
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
            bail!("server did not become healthy (log: {})", log.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(Server {
        base,
        pid,
        log,
        url: url.to_owned(),
        child,
        cleanup: None,
    })
}

/// Resident memory of a process, in MB (0 if it is gone).
pub fn rss_mb_of(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
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

/// User + system CPU time of a process so far, in seconds (0 if it is
/// gone). Assumes the usual `CLK_TCK` of 100.
pub fn cpu_secs_of(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // Fields after the parenthesised command name; utime and stime
            // are fields 14 and 15 of the whole line.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

impl Server {
    /// The database URL the server runs on.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Resident memory of the server process, in MB.
    pub fn rss_mb(&self) -> f64 {
        rss_mb_of(&self.pid.to_string())
    }

    /// Another `ruta serve` on this server's database (no demo loading:
    /// the first instance did it). Only useful on PostgreSQL.
    pub async fn another(&self, n: usize, log_filter: &str) -> Result<Server> {
        let log = self.log.with_file_name(format!("serve-{n}.log"));
        spawn(&self.url, false, log, log_filter).await
    }

    /// Lines of the server's log at WARN or ERROR level.
    pub fn warnings(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
            .map(str::to_owned)
            .collect()
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
