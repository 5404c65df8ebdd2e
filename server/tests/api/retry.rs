use crate::both_backends;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

async fn an_error_sale_succeeds_on_retry_once_its_cause_is_fixed(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let token = app.login("ana", None).await;
    // Customer 7 is deactivated, so the sale fails check 3 and is kept.
    app.send(Method::DELETE, &admin, "/api/v1/customers/7/", &json!({}))
        .await;
    let mut s = sale(&new_id());
    s["customer_id"] = json!(7);
    let (_, body) = app.upload(&token, vec![s.clone()]).await;
    let sale_id = body["results"][0]["sale_id"].as_i64().unwrap();
    let status_path = format!("/api/v1/sales/sync/status/{sale_id}/");
    let status: Value = app.get(&token, &status_path).await.json().await.unwrap();
    assert_eq!(status["sync_status"], "error");
    assert_eq!(status["error"], "Customer con id=7 no existe");
    assert_eq!(status["sync_attempt_count"], 1);

    // Uploading it again while the cause remains fails again, attempt + 1.
    app.upload(&token, vec![s]).await;
    let status: Value = app.get(&token, &status_path).await.json().await.unwrap();
    assert_eq!(status["sync_attempt_count"], 2);

    app.send(
        Method::PUT,
        &admin,
        "/api/v1/customers/7/",
        &json!({"name": "Ana Lucía Vargas", "active": true}),
    )
    .await;
    let beto = app.login("beto", None).await;
    let r: Value = app
        .post(
            &token,
            "/api/v1/sales/sync/retry/",
            &json!({"sale_ids": [sale_id, 424242]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["message"], "Retry queued successfully");
    assert_eq!(r["processed"], 1);
    assert_eq!(r["results"][0]["status"], "queued");
    assert_eq!(r["results"][0]["attempt"], 3);
    assert_eq!(r["results"][1]["status"], "not_found");
    // Someone else's sale is not found for them.
    let other: Value = app
        .post(
            &beto,
            "/api/v1/sales/sync/retry/",
            &json!({"sale_ids": [sale_id]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["results"][0]["status"], "not_found");

    let done: Value = eventually(Duration::from_secs(10), || async {
        let s: Value = app.get(&token, &status_path).await.json().await.unwrap();
        (s["sync_status"] == "synced").then_some(s)
    })
    .await;
    assert!(done["sale_number"].as_str().unwrap().starts_with("VTA-"));
    assert_eq!(done["sync_attempt_count"], 3);
    assert!(done["error"].is_null());

    let again: Value = app
        .post(
            &token,
            "/api/v1/sales/sync/retry/",
            &json!({"sale_ids": [sale_id]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["results"][0]["status"], "already_synced");
    assert_eq!(again["processed"], 0);
    let r = app
        .post(
            &token,
            "/api/v1/sales/sync/retry/",
            &json!({"sale_ids": []}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

both_backends!(an_error_sale_succeeds_on_retry_once_its_cause_is_fixed);
