//! The storage engines behind `db::Storage`: each opens with its own
//! settings and migrations, and what the SQL modules ask of it (bind
//! markers, row locks) works on the real engine.
use crate::both_backends;
use crate::helpers::{Backend, TestDb};
use ruta_server::db::Db;
use sqlx::Row;

both_backends!(each_engine_opens_migrated_and_answers_the_shared_sql);

async fn each_engine_opens_migrated_and_answers_the_shared_sql(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = Db::connect(&test_db.url).await.unwrap();
    assert_eq!(db.kind(), backend);
    db.migrate().await.unwrap();

    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(applied, db.migrator().iter().count() as i64);
    assert!(applied >= 5, "{applied} migrations");

    // The engine's markers, bound in order, in one multi-row statement.
    let mut m = db.markers();
    let rows = format!("{}, {}", m.row(2), m.row(2));
    let sql = format!("INSERT INTO log_heads (chain, last_hash) VALUES {rows}");
    let mut tx = db.write().begin().await.unwrap();
    sqlx::query(&sql)
        .bind("storage-a")
        .bind("hash-a")
        .bind("storage-b")
        .bind("hash-b")
        .execute(&mut *tx)
        .await
        .unwrap();
    // The engine's row lock is valid SQL inside a write transaction.
    let mut m = db.markers();
    let sql = format!(
        "SELECT last_hash FROM log_heads WHERE chain = {} {}",
        m.mark(),
        db.row_lock().clause()
    );
    let locked: String = sqlx::query_scalar(&sql)
        .bind("storage-b")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(locked, "hash-b");
    tx.commit().await.unwrap();

    match backend {
        Backend::Sqlite => {
            assert!(db.has_single_writer());
            assert!(!db.is_shared_by_instances());
            assert_eq!(db.row_lock(), ruta_server::db::RowLock::Implicit);
            // Both pools' connections carry the engine's settings.
            for pool in [db.read(), db.write()] {
                let mut conn = pool.acquire().await.unwrap();
                let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
                assert_eq!(mode, "wal");
                let row = sqlx::query("PRAGMA foreign_keys")
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
                assert_eq!(row.get::<i64, _>(0), 1);
                let row = sqlx::query("PRAGMA busy_timeout")
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
                assert_eq!(row.get::<i64, _>(0), 5_000);
            }
            // A foreign key is enforced: a line of a sale that does not exist.
            let refused = sqlx::query(
                "INSERT INTO sale_versions (sale_id, version, content, content_hash, created_at) \
                 VALUES (999999, 1, '{}', 'h', 'now')",
            )
            .execute(db.write())
            .await;
            assert!(refused.is_err(), "foreign keys must be on");
        }
        Backend::Postgres => {
            assert!(!db.has_single_writer());
            assert!(db.is_shared_by_instances());
            assert_eq!(db.row_lock(), ruta_server::db::RowLock::ForUpdate);
        }
    }
    db.close().await;
}
