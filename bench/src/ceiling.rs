//! The ceiling: the same sale rows inserted by a bare in-process sqlx loop
//! (one transaction per sale, no HTTP, no validation, no log).
use anyhow::Result;
use ruta_server::db::Db;
use std::time::{Duration, Instant};

pub async fn sqlite_rows_per_sec(secs: u64) -> Result<f64> {
    let dir = std::env::temp_dir().join(format!("ruta_ceiling_{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let db = Db::connect(&format!("sqlite://{}/c.db", dir.display())).await?;
    db.migrate().await?;
    sqlx::query("INSERT INTO users (username, password_hash, role, active, created_at) VALUES ('c', 'x', 'seller', 1, 'now')")
        .execute(db.write())
        .await?;
    let content = crate::load::new_batch();
    let started = Instant::now();
    let mut n: i64 = 0;
    while started.elapsed() < Duration::from_secs(secs) {
        let mut tx = db.write().begin().await?;
        n += 1;
        sqlx::query(
            "INSERT INTO sales (local_id, user_id, number, customer_id, status, payment_method, sync_status, \
             content, content_hash, lines, subtotal, discount_total, tax_total, total, raw_payload, version, \
             created_at, server_timestamp, updated_at, sync_attempt_count) \
             VALUES ($1, 1, $2, 5, 'confirmed', 'cash', 'synced', $3, 'h', '[]', '1', '0', '0', '1', $3, 1, \
             'now', 'now', 'now', 1)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(format!("VTA-2026-{n:05}"))
        .bind(&content)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(rate)
}
