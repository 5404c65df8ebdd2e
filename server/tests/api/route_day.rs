//! The rest of the route day: the business profile receipts print, what a
//! phone reports of its outbox (shown on the settlement), and the office's
//! sale list, export and history.
use crate::both_backends;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn json_of(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Empty until an admin saves it; then every role reads what was saved
/// (trimmed); bad input is refused in the contract's shape without
/// touching what is stored; the change is logged with the old value.
async fn the_business_profile_is_read_by_all_and_saved_by_admins(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let ana = app.login("ana", Some("TAB-1")).await;
    let (status, empty) = json_of(app.get(&ana, "/api/v1/business/").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["name"], "");
    assert_eq!(empty["tax_id"], "");

    let profile = json!({"name": " Panadería La Espiga ", "tax_id": "900123456-7",
                         "receipt_footer": "Gracias por su compra"});
    let r = app
        .send(Method::PUT, &ana, "/api/v1/business/", &profile)
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (status, saved) = json_of(
        app.send(Method::PUT, &admin, "/api/v1/business/", &profile)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["name"], "Panadería La Espiga");

    let (status, err) = json_of(
        app.send(
            Method::PUT,
            &admin,
            "/api/v1/business/",
            &json!({"name": "X", "tax_id": "  "}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        err,
        json!({"error": "tax_id es requerido", "field": "tax_id"})
    );

    let (_, read) = json_of(app.get(&ana, "/api/v1/business/").await).await;
    assert_eq!(
        read,
        json!({"name": "Panadería La Espiga", "tax_id": "900123456-7", "address": "",
               "phone": "", "receipt_footer": "Gracias por su compra"})
    );
    let (_, log) = json_of(
        app.get(&admin, "/api/v1/sync/log/?action=business_change")
            .await,
    )
    .await;
    let rows = log["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 1, "{log}");
    assert_eq!(rows[0]["detail"]["before"], Value::Null, "{log}");
    assert_eq!(rows[0]["detail"]["after"]["tax_id"], "900123456-7", "{log}");
}

async fn get_reporting(app: &TestApp, token: &str, path: &str, outbox: &str) -> StatusCode {
    app.client
        .get(app.url(path))
        .header("Authorization", format!("Token {token}"))
        .header("X-Ruta-Outbox", outbox)
        .send()
        .await
        .unwrap()
        .status()
}

async fn unsynced_of(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, view) = json_of(
        app.get(token, "/api/v1/cargue/ID1/settlement/?date=2026-02-16")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view["unsynced"].as_array().cloned().unwrap_or_default()
}

/// A phone's outbox count rides on its requests; the seller's settlement
/// shows it per device, by name, until an upload from it or a new report
/// says otherwise. Web
/// tokens and implausible counts report nothing.
async fn a_phone_reports_its_outbox_and_the_settlement_shows_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let dispatcher = app.login("despacho", None).await;
    let ana = app.login("ana", Some("TAB-CAMION-3")).await;
    let ana_web = app.login("ana", None).await;
    let r = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/devices/TAB-CAMION-3/name/",
            &json!({"name": "Tablet camión 3"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(unsynced_of(&app, &dispatcher).await.is_empty());

    assert_eq!(
        get_reporting(&app, &ana_web, "/api/v1/auth/me/", "9").await,
        StatusCode::OK
    );
    assert_eq!(
        get_reporting(&app, &ana, "/api/v1/auth/me/", "many").await,
        StatusCode::OK
    );
    assert_eq!(
        get_reporting(&app, &ana, "/api/v1/auth/me/", "100001").await,
        StatusCode::OK
    );
    assert!(unsynced_of(&app, &dispatcher).await.is_empty());

    assert_eq!(
        get_reporting(&app, &ana, "/api/v1/auth/me/", "3").await,
        StatusCode::OK
    );
    let devices = unsynced_of(&app, &dispatcher).await;
    assert_eq!(devices.len(), 1, "{devices:?}");
    assert_eq!(devices[0]["device_id"], "TAB-CAMION-3");
    assert_eq!(devices[0]["name"], "Tablet camión 3");
    assert_eq!(devices[0]["reported_unsynced"], 3);
    assert_eq!(devices[0]["sales"], 0);
    assert!(devices[0]["reported_at"].is_string());

    // Another seller's settlement does not show ana's phone.
    let (_, other) = json_of(
        app.get(
            &dispatcher,
            "/api/v1/cargue/ID2/settlement/?date=2026-02-16",
        )
        .await,
    )
    .await;
    assert_eq!(other["unsynced"], json!([]));

    // The sales it counted arrive: the report is outdated by the upload.
    let mut arrived = sale(&new_id());
    arrived["status"] = json!("confirmed");
    arrived["device_id"] = json!("TAB-CAMION-3");
    let (status, body) = app.upload(&ana, vec![arrived]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(unsynced_of(&app, &dispatcher).await.is_empty());
    assert_eq!(
        get_reporting(&app, &ana, "/api/v1/auth/me/", "2").await,
        StatusCode::OK
    );
    assert_eq!(
        unsynced_of(&app, &dispatcher).await[0]["reported_unsynced"],
        2
    );

    assert_eq!(
        get_reporting(&app, &ana, "/api/v1/catalog/changes/", "0").await,
        StatusCode::OK
    );
    assert!(unsynced_of(&app, &dispatcher).await.is_empty());
}

/// The office's list filters on the server and pages by cursor; the CSV
/// has the same rows; a sale's history has its earlier version and its
/// log rows. Sellers and dispatchers are refused.
async fn the_office_lists_exports_and_traces_sales(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let ana = app.login("ana", Some("TAB-1")).await;
    let beto = app.login("beto", Some("TAB-2")).await;
    let mut ana_sales = Vec::new();
    for i in 0..3 {
        let mut s = sale(&new_id());
        s["status"] = json!("confirmed");
        s["device_id"] = json!("TAB-1");
        s["payment_method"] = json!(if i == 0 { "transfer" } else { "cash" });
        ana_sales.push(s);
    }
    let (status, body) = app.upload(&ana, ana_sales.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut b = sale(&new_id());
    b["status"] = json!("confirmed");
    b["device_id"] = json!("TAB-2");
    let (status, body) = app.upload(&beto, vec![b]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, page) = json_of(
        app.get(&admin, "/api/v1/admin/sales/?seller=ID1&limit=2")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let first = page["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(first.len(), 2, "{page}");
    assert!(first.iter().all(|s| s["seller_code"] == "ID1"), "{page}");
    let cursor = page["next_cursor"].as_str().unwrap_or_default().to_owned();
    assert!(!cursor.is_empty(), "{page}");
    let (_, rest) = json_of(
        app.get(
            &admin,
            &format!("/api/v1/admin/sales/?seller=ID1&limit=2&cursor={cursor}"),
        )
        .await,
    )
    .await;
    let rest = rest["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(rest.len(), 1);
    assert!(first.iter().all(|s| s["id"] != rest[0]["id"]));

    let (_, transfers) = json_of(
        app.get(
            &admin,
            "/api/v1/admin/sales/?payment_method=transfer&device_id=TAB-1",
        )
        .await,
    )
    .await;
    assert_eq!(
        transfers["results"].as_array().map(Vec::len),
        Some(1),
        "{transfers}"
    );
    let (status, err) = json_of(app.get(&admin, "/api/v1/admin/sales/?from=ayer").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["field"], "from");

    let csv = app
        .get(&admin, "/api/v1/admin/sales/export.csv?seller=ID1")
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 1 + 3, "{text}");

    // An edit makes a second version; the history shows the first.
    let id = first[0]["id"].as_i64().unwrap_or_default();
    let local_id = first[0]["local_id"].as_str().unwrap_or_default().to_owned();
    let mut edit = ana_sales
        .iter()
        .find(|s| s["local_id"] == local_id.as_str())
        .cloned()
        .unwrap_or_default();
    edit["notes"] = json!("corregida");
    edit["version"] = json!(1);
    let (status, body) = app.upload(&ana, vec![edit]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "success", "{body}");
    let (status, history) = json_of(
        app.get(&admin, &format!("/api/v1/admin/sales/{id}/history/"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    assert_eq!(history["sale"]["notes"], "corregida", "{history}");
    assert_eq!(
        history["versions"].as_array().map(Vec::len),
        Some(1),
        "{history}"
    );
    let actions: Vec<&str> = history["log"]
        .as_array()
        .map(|rows| rows.iter().filter_map(|r| r["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        actions.contains(&"create_sale") && actions.contains(&"update_sale"),
        "{actions:?}"
    );

    for token in [&ana, &app.login("despacho", None).await] {
        assert_eq!(
            app.get(token, "/api/v1/admin/sales/").await.status(),
            StatusCode::FORBIDDEN
        );
    }
}

both_backends!(
    the_business_profile_is_read_by_all_and_saved_by_admins,
    a_phone_reports_its_outbox_and_the_settlement_shows_it,
    the_office_lists_exports_and_traces_sales,
);
