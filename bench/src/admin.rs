//! `ruta-bench admin`: the admin dashboard's reads on a big SQLite
//! database — 1,000 devices, 1,000,000 sales over the last 365 days,
//! 100,000 sync-log rows — measured through the real server.
//!
//! Seeding goes straight to the database file the server created (after
//! its migrations and demo data), with bulk SQL, not through the API:
//! - users, tokens and sales come from recursive-CTE `INSERT … SELECT`s;
//!   sales carry placeholder content (`'{}'`), numbers of the form
//!   `VTA-B-<n>` (unique, but not the per-year counter) and no items;
//! - sync-log rows are hashed in Rust with the server's own chain hash
//!   (`LogContent::chain_hash`) and the chain heads updated, so
//!   `/sync/log/verify/` still passes; the append-only triggers only
//!   refuse UPDATE/DELETE, so bulk INSERTs are allowed.
use crate::server_proc::{self, Backend};
use anyhow::{Context, Result};
use chrono::{Duration, SecondsFormat, Utc};
use ruta_shared::audit::{LogContent, SyncAction};
use sqlx::{AnyConnection, Connection, Executor};
use std::collections::HashMap;
use std::time::Instant;

const DEVICES: i64 = 1_000;
const SELLERS: i64 = 100;
const SALES: i64 = 1_000_000;
/// Sales accepted today (the rest spread over the previous 364 days):
/// a bit above the yearly average of ~2,740 a day.
const SALES_TODAY: i64 = 3_000;
const LOG_ROWS: i64 = 100_000;
const LOG_TODAY: i64 = 2_000;
const REQUESTS: usize = 50;

pub struct Timing {
    pub what: String,
    pub median_ms: f64,
    pub p95_ms: f64,
}

pub struct AdminResult {
    pub seed_secs: f64,
    pub timings: Vec<Timing>,
    pub verified: bool,
}

fn ts(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

async fn seed(url: &str) -> Result<()> {
    sqlx::any::install_default_drivers();
    let mut c = AnyConnection::connect(url).await?;
    c.execute("PRAGMA busy_timeout = 10000").await?;
    let now = Utc::now();
    let today_start = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .context("midnight")?
        .and_utc();
    let since_midnight = (now - today_start).num_seconds().max(60);
    let year_ago = today_start - Duration::days(364);
    let before_today = (today_start - year_ago).num_seconds();

    let mut tx = c.begin().await?;
    // Sellers B001…B100 (same password hash as the demo admin), ten
    // devices each, last seen over the past two hours (some within 5 min).
    tx.execute(
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
             INSERT INTO users (username, password_hash, role, seller_code, active, created_at) \
             SELECT printf('bench%03d', i), (SELECT password_hash FROM users WHERE username = 'admin'), \
                    'seller', printf('B%03d', i), 1, $2 FROM n",
        )
        .bind(SELLERS)
        .bind(ts(year_ago)),
    )
    .await?;
    let first_user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'bench001'")
        .fetch_one(&mut *tx)
        .await?;
    tx.execute(
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1) \
             INSERT INTO tokens (user_id, token_hash, device_id, created_at, last_used_at) \
             SELECT $2 + i % $3, printf('bench-token-%d', i), printf('DEV-%04d', i), $4, \
                    strftime('%Y-%m-%dT%H:%M:%fZ', $5 - (i * 7) % 7200, 'unixepoch') FROM n",
        )
        .bind(DEVICES)
        .bind(first_user)
        .bind(SELLERS)
        .bind(ts(year_ago))
        .bind(now.timestamp()),
    )
    .await?;
    // Sales: i < SALES_TODAY are today's; sync latency 0 s … ~20 h; one in
    // 400 in error, one in 2,000 pending (queued), one in 5,000 in conflict.
    tx.execute(
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1), \
             t(i, at) AS (SELECT i, CASE WHEN i < $2 THEN $3 + (i * $4) / $2 \
                                    ELSE $5 + ((i - $2) * $6) / ($1 - $2) END FROM n) \
             INSERT INTO sales (local_id, user_id, seller_code, device_id, number, customer_id, status, \
               payment_method, sync_status, content, content_hash, lines, subtotal, discount_total, \
               tax_total, total, raw_payload, error, version, created_at, server_timestamp, updated_at, \
               sync_succeeded_at, sync_last_attempt, sync_attempt_count, next_attempt_at, accepted_at) \
             SELECT printf('00000000-0000-4000-8000-%012d', i), $7 + (i % $8) % $9, \
               printf('B%03d', 1 + (i % $8) % $9), printf('DEV-%04d', i % $8), \
               CASE WHEN i % 400 = 7 THEN NULL ELSE printf('VTA-B-%07d', i) END, 1 + i % 8, 'confirmed', \
               'cash', CASE WHEN i % 400 = 7 THEN 'error' WHEN i % 2000 = 11 THEN 'pending' \
                            WHEN i % 5000 = 13 THEN 'conflict' ELSE 'synced' END, \
               CASE WHEN i % 400 = 7 THEN NULL ELSE '{}' END, printf('h%d', i), '[]', \
               '0', '0', '0', printf('%d.%02d', (i * 7919) % 500000, i % 100), '{}', \
               CASE WHEN i % 400 = 7 THEN 'Customer con id=999 no existe' END, 1, \
               strftime('%Y-%m-%dT%H:%M:%fZ', at - (i * 37) % 72000, 'unixepoch'), \
               strftime('%Y-%m-%dT%H:%M:%fZ', at, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%fZ', at, 'unixepoch'), \
               strftime('%Y-%m-%dT%H:%M:%fZ', at, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%fZ', at, 'unixepoch'), 1, \
               CASE WHEN i % 2000 = 11 THEN strftime('%Y-%m-%dT%H:%M:%fZ', $10, 'unixepoch') END, \
               CASE WHEN i % 400 = 7 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', at, 'unixepoch') END \
             FROM t",
        )
        .bind(SALES)
        .bind(SALES_TODAY)
        .bind(today_start.timestamp())
        .bind(since_midnight)
        .bind(year_ago.timestamp())
        .bind(before_today)
        .bind(first_user)
        .bind(DEVICES)
        .bind(SELLERS)
        .bind((now + Duration::days(1)).timestamp()),
    )
    .await?;
    tx.commit().await?;
    seed_log(&mut c, now, today_start, year_ago).await?;
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    Ok(())
}

/// 100,000 log rows, oldest first (ids follow time), hash-chained per
/// seller like the server writes them.
async fn seed_log(
    c: &mut AnyConnection,
    now: chrono::DateTime<Utc>,
    today_start: chrono::DateTime<Utc>,
    year_ago: chrono::DateTime<Utc>,
) -> Result<()> {
    const ACTIONS: [SyncAction; 8] = [
        SyncAction::CreateSale,
        SyncAction::CreateSale,
        SyncAction::CreateSale,
        SyncAction::Duplicate,
        SyncAction::UpdateSale,
        SyncAction::Login,
        SyncAction::Conflict,
        SyncAction::Retry,
    ];
    let mut heads: HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT chain, last_hash FROM log_heads")
            .fetch_all(&mut *c)
            .await?
            .into_iter()
            .collect();
    let earlier = LOG_ROWS - LOG_TODAY;
    let span_before = (today_start - year_ago).num_milliseconds();
    let span_today = (now - today_start).num_milliseconds().max(60_000);
    let mut tx = c.begin().await?;
    let mut batch: Vec<(LogContent, String, String)> = Vec::new();
    for i in 0..LOG_ROWS {
        let at = if i < earlier {
            year_ago + Duration::milliseconds(i * span_before / earlier)
        } else {
            today_start + Duration::milliseconds((i - earlier) * span_today / LOG_TODAY)
        };
        let device = (i * 13) % DEVICES;
        let seller = 1 + device % SELLERS;
        let code = format!("B{seller:03}");
        let success = i % 20 != 3;
        let content = LogContent {
            chain: code.clone(),
            action: ACTIONS[(i % 8) as usize],
            user_id: None,
            username: Some(format!("bench{seller:03}")),
            seller_code: Some(code.clone()),
            device_id: Some(format!("DEV-{device:04}")),
            ip: Some("10.0.0.1".into()),
            user_agent: Some("ruta-bench".into()),
            sale_id: Some(1 + i),
            local_id: None,
            success,
            error: (!success).then(|| "Customer con id=999 no existe".to_owned()),
            timestamp: ts(at),
            detail: None,
        };
        let prev = heads.entry(code).or_default();
        let hash = content.chain_hash(prev);
        let prev_hash = std::mem::replace(prev, hash.clone());
        batch.push((content, prev_hash, hash));
        if batch.len() == 500 || i == LOG_ROWS - 1 {
            let values: Vec<String> = (0..batch.len())
                .map(|r| {
                    let marks: Vec<String> = (1..=15).map(|k| format!("${}", r * 15 + k)).collect();
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO sync_log (chain, action, user_id, username, seller_code, device_id, ip, \
                 user_agent, sale_id, local_id, success, error, timestamp, prev_hash, hash) VALUES {}",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (c, prev_hash, hash) in batch.drain(..) {
                q = q
                    .bind(c.chain)
                    .bind(c.action.as_str())
                    .bind(c.user_id)
                    .bind(c.username)
                    .bind(c.seller_code)
                    .bind(c.device_id)
                    .bind(c.ip)
                    .bind(c.user_agent)
                    .bind(c.sale_id)
                    .bind(c.local_id)
                    .bind(i64::from(c.success))
                    .bind(c.error)
                    .bind(c.timestamp)
                    .bind(prev_hash)
                    .bind(hash);
            }
            q.execute(&mut *tx).await?;
        }
    }
    for (chain, hash) in &heads {
        sqlx::query(
            "INSERT INTO log_heads (chain, last_hash) VALUES ($1, $2) \
             ON CONFLICT (chain) DO UPDATE SET last_hash = excluded.last_hash",
        )
        .bind(chain)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn measure(client: &reqwest::Client, base: &str, token: &str, path: &str) -> Result<Timing> {
    let mut ms = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let start = Instant::now();
        let r = client
            .get(format!("{base}{path}"))
            .header("Authorization", format!("Token {token}"))
            .send()
            .await?;
        let status = r.status();
        let _ = r.bytes().await?;
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(status.is_success(), "{path}: {status}");
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    Ok(Timing {
        what: path.to_owned(),
        median_ms: at(0.5),
        p95_ms: at(0.95),
    })
}

pub async fn run() -> Result<AdminResult> {
    let server = server_proc::start(Backend::Sqlite).await?;
    let started = Instant::now();
    seed(server.url()).await?;
    let seed_secs = started.elapsed().as_secs_f64();
    let client = reqwest::Client::new();
    let admin = crate::load::token(&client, &server.base, "admin", "ruta2026", None).await?;
    let mut timings = Vec::new();
    // The daily report and the settlement over the same million sales:
    // one seller's day, and a month of all sellers (issue 16's targets:
    // p95 ≤ 200 ms and ≤ 1 s).
    let today = Utc::now().date_naive();
    let month_ago = today - Duration::days(29);
    let day_of_one = format!("/api/v1/reports/daily/?from={today}&to={today}&seller=B042");
    let month_of_all = format!("/api/v1/reports/daily/?from={month_ago}&to={today}");
    let settlement = format!("/api/v1/cargue/B042/settlement/?date={today}");
    for path in [
        "/api/v1/admin/overview/",
        "/api/v1/sync/log/",
        "/api/v1/sync/log/?seller=B042&action=create_sale",
        "/api/v1/sync/log/?device_id=DEV-0420&action=create_sale",
        "/api/v1/sync/log/?action=conflict&since=2020-01-01",
        &day_of_one,
        &month_of_all,
        &settlement,
    ] {
        timings.push(measure(&client, &server.base, &admin, path).await?);
    }
    let verify: serde_json::Value = client
        .get(format!("{}/api/v1/sync/log/verify/", server.base))
        .header("Authorization", format!("Token {admin}"))
        .send()
        .await?
        .json()
        .await?;
    server.stop().await;
    Ok(AdminResult {
        seed_secs,
        timings,
        verified: verify["ok"] == true,
    })
}

pub fn print(r: &AdminResult) {
    println!(
        "Admin dashboard on SQLite: {DEVICES} devices, {SALES} sales ({SALES_TODAY} today), \
         {LOG_ROWS} log rows; seeded in {:.0} s; log chain verified: {}",
        r.seed_secs,
        if r.verified { "yes" } else { "NO" }
    );
    println!("| request ({REQUESTS} each, sequential) | median ms | p95 ms |");
    println!("|---|---|---|");
    for t in &r.timings {
        println!("| `{}` | {:.1} | {:.1} |", t.what, t.median_ms, t.p95_ms);
    }
}
