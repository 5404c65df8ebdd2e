use crate::both_backends;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

async fn every_sync_action_is_logged_with_client_details(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", Some("PHONE-7")).await;
    let id = new_id();
    app.upload(&token, vec![sale(&id)]).await;
    app.upload(&token, vec![sale(&id)]).await;
    let admin = app.login("admin", None).await;
    let log: Value = app
        .get(&admin, "/api/v1/sync/log/?seller=ID1")
        .await
        .json()
        .await
        .unwrap();
    let rows = log["results"].as_array().unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["duplicate", "create_sale", "login"]);
    let create = &rows[1];
    assert_eq!(create["local_id"], id.as_str());
    assert_eq!(
        create["device_id"], "ANDROID-SM-A14-K3J9X2",
        "the sale's device"
    );
    assert_eq!(create["ip"], "127.0.0.1");
    assert_eq!(create["success"], true);
    assert_eq!(create["chain"], "ID1");
    assert_eq!(rows[2]["device_id"], "PHONE-7", "the token's device");
    assert_eq!(create["prev_hash"], rows[2]["hash"]);

    let filtered: Value = app
        .get(&admin, "/api/v1/sync/log/?action=duplicate")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get(&admin, "/api/v1/sync/log/?action=nope")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

/// Rows already there when a test starts: the demo loader's own (the
/// users and catalog it created, on the system chain).
async fn seeded_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sync_log")
        .fetch_one(app.db.read())
        .await
        .unwrap()
}

async fn log_pages_by_cursor(backend: Backend) {
    let app = spawn_app(backend).await;
    let seeded = seeded_rows(&app).await;
    let token = app.login("ana", None).await;
    for _ in 0..3 {
        app.upload(&token, vec![sale(&new_id()), sale(&new_id())])
            .await;
    }
    let admin = app.login("admin", None).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/sync/log/?limit=2&cursor={c}"),
            None => "/api/v1/sync/log/?limit=2".to_owned(),
        };
        let page: Value = app.get(&admin, &path).await.json().await.unwrap();
        seen.extend(
            page["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    // The seed's rows, 2 logins + 6 sales, newest first, no repeats.
    assert_eq!(seen.len() as i64, seeded + 8);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));
}

async fn the_log_cannot_be_silently_edited(backend: Backend) {
    let app = spawn_app(backend).await;
    let seeded = seeded_rows(&app).await;
    let token = app.login("ana", None).await;
    app.upload(&token, vec![sale(&new_id()), sale(&new_id())])
        .await;
    let admin = app.login("admin", None).await;
    let ok: Value = app
        .get(&admin, "/api/v1/sync/log/verify/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["rows"], seeded + 4);
    // The second row of ana's chain (her first sale).
    let target: i64 = sqlx::query_scalar(
        "SELECT id FROM sync_log WHERE chain = 'ID1' ORDER BY id LIMIT 1 OFFSET 1",
    )
    .fetch_one(app.db.read())
    .await
    .unwrap();

    // The database refuses edits and deletes.
    let edit = sqlx::query("UPDATE sync_log SET success = 0 WHERE id = $1")
        .bind(target)
        .execute(app.db.write())
        .await;
    assert!(edit.is_err());
    let delete = sqlx::query("DELETE FROM sync_log WHERE id = $1")
        .bind(target)
        .execute(app.db.write())
        .await;
    assert!(delete.is_err());

    // Someone with the power to drop the guard still cannot hide an edit.
    let drop_guard = match backend {
        Backend::Sqlite => "DROP TRIGGER sync_log_no_update",
        Backend::Postgres => "ALTER TABLE sync_log DISABLE TRIGGER sync_log_no_update",
    };
    sqlx::query(drop_guard)
        .execute(app.db.write())
        .await
        .unwrap();
    sqlx::query("UPDATE sync_log SET error = 'oops' WHERE id = $1")
        .bind(target)
        .execute(app.db.write())
        .await
        .unwrap();
    let bad: Value = app
        .get(&admin, "/api/v1/sync/log/verify/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["first_bad_row"], target);
    assert_eq!(bad["chain"], "ID1");
}

both_backends!(
    every_sync_action_is_logged_with_client_details,
    log_pages_by_cursor,
    the_log_cannot_be_silently_edited,
);
