use crate::both_backends;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Stores a sale, then an accepted edit from "the server side" (another
/// device of the same seller at version 1), leaving the server at v2.
async fn diverged(app: &TestApp, token: &str) -> (String, i64) {
    let id = new_id();
    let (_, body) = app.upload(token, vec![sale(&id)]).await;
    let sale_id = body["results"][0]["sale_id"].as_i64().unwrap();
    let mut edit = sale(&id);
    edit["notes"] = json!("nota del servidor");
    let (_, body) = app.upload(token, vec![edit]).await;
    assert_eq!(body["results"][0]["status"], "success");
    assert_eq!(body["results"][0]["version"], 2);
    (id, sale_id)
}

async fn sale_detail(app: &TestApp, token: &str, sale_id: i64) -> Value {
    app.get(token, &format!("/api/v1/sales/{sale_id}/"))
        .await
        .json()
        .await
        .unwrap()
}

async fn edit_at_current_version_is_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let (id, sale_id) = diverged(&app, &token).await;
    let mut edit = sale(&id);
    edit["notes"] = json!("nota del servidor");
    edit["payment_method"] = json!("credit");
    edit["version"] = json!(2);
    let (_, body) = app.upload(&token, vec![edit]).await;
    assert_eq!(body["results"][0]["status"], "success");
    assert_eq!(body["results"][0]["version"], 3);
    let detail = sale_detail(&app, &token, sale_id).await;
    assert_eq!(detail["payment_status"], "pending");
    assert_eq!(detail["version"], 3);
    // The original content is a late retry: duplicate, not conflict.
    let (_, body) = app.upload(&token, vec![sale(&id)]).await;
    assert_eq!(body["results"][0]["duplicate"], true);
    // A version from the future is refused.
    let mut future = sale(&id);
    future["version"] = json!(9);
    future["notes"] = json!("x");
    let (_, body) = app.upload(&token, vec![future]).await;
    assert_eq!(body["results"][0]["error"], "Campo version inválido");
}

async fn stale_edit_is_a_conflict_then_merge_resolves_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let (id, sale_id) = diverged(&app, &token).await;
    let mut stale = sale(&id);
    stale["payment_method"] = json!("transfer");
    let (status, body) = app.upload(&token, vec![stale]).await;
    assert_eq!(status, StatusCode::OK);
    let r = &body["results"][0];
    assert_eq!(r["status"], "conflict");
    assert_eq!(r["conflict"]["server_version"], 2);
    assert_eq!(r["conflict"]["client_version"], 1);
    assert_eq!(r["conflict"]["fields"], json!(["payment_method", "notes"]));
    assert_eq!(r["conflict"]["server"]["notes"], "nota del servidor");
    assert_eq!(r["conflict"]["client"]["payment_method"], "transfer");
    assert_eq!(body["summary"]["conflicts"], 1);

    let status: Value = app
        .get(&token, &format!("/api/v1/sales/sync/status/{sale_id}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["sync_status"], "conflict");
    let pending: Value = app
        .get(&token, "/api/v1/sales/sync/pending/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending["results"][0]["sync_status"], "conflict");

    let r = app
        .post(
            &token,
            "/api/v1/sales/sync/resolve/",
            &json!({"sale_id": sale_id, "resolution": "merge"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["message"], "Conflict resolved with merge");
    assert_eq!(body["sale"]["sync_status"], "synced");
    assert_eq!(body["sale"]["version"], 3);
    assert_eq!(body["sale"]["conflict_resolution"], "merge");
    let detail = sale_detail(&app, &token, sale_id).await;
    assert_eq!(detail["notes"], "nota del servidor");
    assert_eq!(detail["payment_method"], "transfer");
    assert_eq!(detail["sync_status"], "synced");

    let again = app
        .post(
            &token,
            "/api/v1/sales/sync/resolve/",
            &json!({"sale_id": sale_id, "resolution": "server_wins"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

async fn merge_of_a_field_both_changed_needs_client_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let (id, sale_id) = diverged(&app, &token).await;
    let mut stale = sale(&id);
    stale["notes"] = json!("nota del teléfono");
    app.upload(&token, vec![stale]).await;
    let r = app
        .post(
            &token,
            "/api/v1/sales/sync/resolve/",
            &json!({"sale_id": sale_id, "resolution": "merge"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let mut manual = sale(&id);
    manual["notes"] = json!("acordado con el cliente");
    let r = app
        .post(
            &token,
            "/api/v1/sales/sync/resolve/",
            &json!({"sale_id": sale_id, "resolution": "manual", "client_data": manual, "notes": "llamé al cliente"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let detail = sale_detail(&app, &token, sale_id).await;
    assert_eq!(detail["notes"], "acordado con el cliente");
    // Another seller cannot resolve (or even see) it.
    let beto = app.login("beto", None).await;
    let r = app
        .post(
            &beto,
            "/api/v1/sales/sync/resolve/",
            &json!({"sale_id": sale_id, "resolution": "server_wins"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn configured_strategy_settles_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let r = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/sync/config/",
            &json!({"sale": {"strategy": "client_wins"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cfg: Value = r.json().await.unwrap();
    assert_eq!(cfg["sale"]["strategy"], "client_wins");
    assert_eq!(cfg["product"]["strategy"], "server_wins", "partial update");
    let bad = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/sync/config/",
            &json!({"sale": {"strategy": "coin_flip"}}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let token = app.login("ana", None).await;
    let (id, sale_id) = diverged(&app, &token).await;
    let mut stale = sale(&id);
    stale["notes"] = json!("gana el cliente");
    let (_, body) = app.upload(&token, vec![stale]).await;
    assert_eq!(body["results"][0]["status"], "success");
    assert_eq!(body["results"][0]["resolved_by"], "client_wins");
    let detail = sale_detail(&app, &token, sale_id).await;
    assert_eq!(detail["notes"], "gana el cliente");
    assert_eq!(detail["version"], 3);
    let log: Value = app
        .get(&admin, "/api/v1/sync/log/?limit=5")
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = log["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(&actions[..2], &["resolve", "conflict"]);
}

/// A stale edit (from version 1, after the server moved to version 2 with
/// new notes) uploaded under each configured strategy.
async fn every_strategy_settles_a_stale_edit_as_configured(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let token = app.login("ana", None).await;
    let now = || chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // (strategy, the stale copy's edit time, expected notes, expected payment)
    let cases: Vec<(&str, Option<String>, &str, &str)> = vec![
        ("server_wins", None, "nota del servidor", "cash"),
        // Made in February, edited offline after the server's edit: the
        // edit time wins, not the creation time (which used to decide).
        (
            "last_write_wins",
            Some(String::new()),
            "nota del teléfono",
            "transfer",
        ),
        // Edited before the server's edit, uploaded after it: loses.
        (
            "last_write_wins",
            Some("2026-02-16T11:00:00Z".into()),
            "nota del servidor",
            "cash",
        ),
        // No edit time: the creation time (February) stands in, and loses.
        ("last_write_wins", None, "nota del servidor", "cash"),
    ];
    for (strategy, edited, notes, payment) in cases {
        let r = app
            .send(
                Method::PUT,
                &admin,
                "/api/v1/sync/config/",
                &json!({"sale": {"strategy": strategy}}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let (id, sale_id) = diverged(&app, &token).await;
        let mut stale = sale(&id);
        stale["notes"] = json!("nota del teléfono");
        stale["payment_method"] = json!("transfer");
        match &edited {
            Some(t) if t.is_empty() => stale["updated_at"] = json!(now()),
            Some(t) => stale["updated_at"] = json!(t),
            None => {}
        }
        let (_, body) = app.upload(&token, vec![stale]).await;
        let result = &body["results"][0];
        assert_eq!(
            result["status"], "success",
            "{strategy} {edited:?}: {result}"
        );
        assert_eq!(result["resolved_by"], strategy);
        let detail = sale_detail(&app, &token, sale_id).await;
        assert_eq!(detail["notes"], notes, "{strategy} {edited:?}");
        assert_eq!(detail["payment_method"], payment, "{strategy} {edited:?}");
    }
    // Merge: the server changed the notes, the phone the payment; both kept.
    app.send(
        Method::PUT,
        &admin,
        "/api/v1/sync/config/",
        &json!({"sale": {"strategy": "merge"}}),
    )
    .await;
    let (id, sale_id) = diverged(&app, &token).await;
    let mut stale = sale(&id);
    stale["payment_method"] = json!("transfer");
    let (_, body) = app.upload(&token, vec![stale]).await;
    assert_eq!(body["results"][0]["resolved_by"], "merge");
    let detail = sale_detail(&app, &token, sale_id).await;
    assert_eq!(
        (&detail["notes"], &detail["payment_method"]),
        (&json!("nota del servidor"), &json!("transfer"))
    );
    // A malformed edit time is a shape error, like a malformed creation time.
    let mut bad = sale(&new_id());
    bad["updated_at"] = json!("ayer");
    let (_, body) = app.upload(&token, vec![bad]).await;
    assert_eq!(
        body["results"][0]["error"],
        "Campo updated_at inválido: debe ser una fecha RFC 3339"
    );
}

both_backends!(
    edit_at_current_version_is_accepted,
    stale_edit_is_a_conflict_then_merge_resolves_it,
    merge_of_a_field_both_changed_needs_client_data,
    configured_strategy_settles_at_once,
    every_strategy_settles_a_stale_edit_as_configured,
);
