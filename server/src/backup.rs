//! `ruta backup` and `ruta restore` for the SQLite engine.
//!
//! A backup is `VACUUM INTO` a temporary file next to the destination,
//! checked, then moved into place. `VACUUM INTO` runs as one read
//! transaction: under WAL it sees a consistent snapshot and does not hold
//! the write lock, so a running server keeps committing uploads while it
//! copies (their rows simply land after the snapshot).
//!
//! A restore replaces the database file and must not run beside a server:
//! it first takes SQLite's exclusive lock on the live file, which fails
//! while any process has the database open (every WAL connection holds a
//! shared lock on the file for as long as it is open).
//!
//! PostgreSQL is backed up with its own tools (`pg_dump`, base backups and
//! WAL archiving); both commands say so instead of half-doing it.
use crate::db::{sqlite, Backend};
use sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode};
use sqlx::{ConnectOptions, Connection, Row};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
    #[error(
        "`ruta {0}` works on SQLite only; on PostgreSQL use its own tools: \
         pg_dump -Fc / pg_restore, or a base backup plus WAL archiving for \
         point-in-time recovery (see docs/deploy.md, \"Copias de seguridad / Backups\")"
    )]
    Postgres(&'static str),
    #[error("{0} already exists (use --force to replace it)")]
    Exists(PathBuf),
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("{path} is not a usable Ruta backup: {reason}")]
    BadBackup { path: PathBuf, reason: String },
    #[error("the database {0} is in use: stop `ruta serve` (every instance) before restoring")]
    InUse(PathBuf),
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a finished backup or restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub sales: i64,
}

/// The SQLite file a URL names; PostgreSQL is refused with directions.
fn sqlite_file(url: &str, command: &'static str) -> Result<SqliteConnectOptions, BackupError> {
    match Backend::of_url(url).ok_or(BackupError::UnsupportedUrl)? {
        Backend::Postgres => Err(BackupError::Postgres(command)),
        Backend::Sqlite => Ok(SqliteConnectOptions::from_str(url)?
            .create_if_missing(false)
            .disable_statement_logging()),
    }
}

/// Copies the live database at `url` to `dest` while the server may run.
pub async fn backup(url: &str, dest: &Path, force: bool) -> Result<Written, BackupError> {
    let options = sqlite_file(url, "backup")?;
    let source = options.get_filename().to_owned();
    if !source.exists() {
        return Err(BackupError::Missing(source));
    }
    // Checked early so a refusal costs nothing; checked again atomically
    // when the file is linked into place.
    if !force && dest.exists() {
        return Err(BackupError::Exists(dest.to_owned()));
    }
    let tmp = temp_beside(dest);
    remove_if_present(&tmp)?;
    let mut conn = options
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await?;
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(tmp.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await;
    conn.close().await?;
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    let result = finish_backup(&tmp, dest, force).await;
    let _ = std::fs::remove_file(&tmp);
    result
}

async fn finish_backup(tmp: &Path, dest: &Path, force: bool) -> Result<Written, BackupError> {
    let sales = check(tmp).await?;
    sync_file(tmp)?;
    if force {
        std::fs::rename(tmp, dest).map_err(io(dest))?;
    } else {
        // A hard link never replaces an existing file.
        match std::fs::hard_link(tmp, dest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(BackupError::Exists(dest.to_owned()))
            }
            Err(e) => return Err(io(dest)(e)),
        }
    }
    sync_dir(dest)?;
    Ok(Written {
        path: dest.to_owned(),
        bytes: std::fs::metadata(dest).map_err(io(dest))?.len(),
        sales,
    })
}

/// Puts the backup `src` in place of the database at `url`. The server
/// must be stopped; a running one is detected and the restore refused.
pub async fn restore(url: &str, src: &Path) -> Result<Written, BackupError> {
    let options = sqlite_file(url, "restore")?;
    let target = options.get_filename().to_owned();
    if !src.exists() {
        return Err(BackupError::Missing(src.to_owned()));
    }
    let sales = check(src).await?;
    if target.exists() {
        ensure_unused(options.clone(), &target).await?;
    } else if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let tmp = temp_beside(&target);
    std::fs::copy(src, &tmp).map_err(io(&tmp))?;
    sync_file(&tmp)?;
    // A stale WAL beside the new file would be replayed into it: remove the
    // old database's -wal and -shm before the new file appears.
    for suffix in ["-wal", "-shm"] {
        remove_if_present(&with_suffix(&target, suffix))?;
    }
    std::fs::rename(&tmp, &target).map_err(io(&target))?;
    sync_dir(&target)?;
    Ok(Written {
        bytes: std::fs::metadata(&target).map_err(io(&target))?.len(),
        path: target,
        sales,
    })
}

/// Fails with [`BackupError::InUse`] while another process has the file
/// open. Closing our connection last also checkpoints any WAL left by a
/// server that stopped uncleanly, so nothing of the old file is lost
/// before it is replaced.
async fn ensure_unused(options: SqliteConnectOptions, target: &Path) -> Result<(), BackupError> {
    let mut conn = options
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(Duration::ZERO)
        .connect()
        .await
        .map_err(|e| busy_is_in_use(e, target))?;
    let locked = sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await;
    let outcome = match locked {
        Ok(_) => sqlx::query("COMMIT")
            .execute(&mut conn)
            .await
            .map(|_| ())
            .map_err(|e| busy_is_in_use(e, target)),
        Err(e) => Err(busy_is_in_use(e, target)),
    };
    conn.close().await?;
    outcome
}

fn busy_is_in_use(e: sqlx::Error, target: &Path) -> BackupError {
    match &e {
        // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes.
        sqlx::Error::Database(db)
            if db
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| c & 0xff == 5 || c & 0xff == 6) =>
        {
            BackupError::InUse(target.to_owned())
        }
        _ => e.into(),
    }
}

/// A backup must be a sound SQLite file holding Ruta's schema at a version
/// this binary knows. Returns its sale count.
async fn check(path: &Path) -> Result<i64, BackupError> {
    let bad = |reason: String| BackupError::BadBackup {
        path: path.to_owned(),
        reason,
    };
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false)
        .disable_statement_logging()
        .connect()
        .await
        .map_err(|e| bad(e.to_string()))?;
    let result = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| bad(e.to_string()))?;
        if integrity != "ok" {
            return Err(bad(format!("integrity_check: {integrity}")));
        }
        let row = sqlx::query("SELECT COUNT(*), COALESCE(MAX(version), 0) FROM _sqlx_migrations")
            .fetch_one(&mut conn)
            .await
            .map_err(|_| bad("no migrations table (_sqlx_migrations)".into()))?;
        let (applied, latest): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        let known = sqlite::MIGRATOR
            .iter()
            .map(|m| m.version)
            .max()
            .unwrap_or(0);
        if applied == 0 {
            return Err(bad("no migration applied".into()));
        }
        if latest > known {
            return Err(bad(format!(
                "made by a newer Ruta (migration {latest}; this binary knows up to {known})"
            )));
        }
        sqlx::query_scalar("SELECT COUNT(*) FROM sales")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| bad(e.to_string()))
    }
    .await;
    conn.close().await?;
    result
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// In the destination's directory, so the final rename stays atomic.
fn temp_beside(path: &Path) -> PathBuf {
    with_suffix(path, &format!(".tmp-{}", std::process::id()))
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path)(e)),
        _ => Ok(()),
    }
}

fn sync_file(path: &Path) -> Result<(), BackupError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io(path))
}

/// Makes a rename or link durable (a no-op where directories cannot be
/// opened, as on Windows).
fn sync_dir(path: &Path) -> Result<(), BackupError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_files_sit_beside_their_target() {
        let t = temp_beside(Path::new("/data/ruta.db"));
        assert_eq!(t.parent(), Some(Path::new("/data")));
        assert!(t.to_string_lossy().starts_with("/data/ruta.db.tmp-"));
        assert_eq!(
            with_suffix(Path::new("a/ruta.db"), "-wal"),
            PathBuf::from("a/ruta.db-wal")
        );
    }

    #[tokio::test]
    async fn postgres_urls_are_pointed_at_pg_dump() {
        let e = backup("postgres://h/db", Path::new("x.db"), false)
            .await
            .err();
        assert!(matches!(e, Some(BackupError::Postgres("backup"))));
        assert!(e.is_some_and(|e| e.to_string().contains("pg_dump")));
    }
}
