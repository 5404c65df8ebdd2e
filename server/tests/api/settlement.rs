//! The day's settlement: exact figures from the sheet and the day's sales
//! (returns, voids and drafts included), the dispatcher's count and its
//! differences, late sales after settling, re-opening, versions, the log.
use crate::both_backends;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const DATE: &str = "2026-02-16";

fn day_sale(status: &str, payment: &str, quantity: &str, price: &str) -> Value {
    let mut s = sale(&new_id());
    s["status"] = json!(status);
    s["payment_method"] = json!(payment);
    s["items"][0]["quantity"] = json!(quantity);
    s["items"][0]["unit_price"] = json!(price);
    s
}

async fn settlement(app: &TestApp, token: &str, seller: &str) -> (StatusCode, Value) {
    let r = app
        .get(
            token,
            &format!("/api/v1/cargue/{seller}/settlement/?date={DATE}"),
        )
        .await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn settle(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let r = app.post(token, "/api/v1/cargue/ID1/settle/", &body).await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn line(view: &Value, product_id: i64) -> &Value {
    view["lines"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["product_id"] == product_id))
        .unwrap_or(&Value::Null)
}

async fn a_day_settles_with_exact_figures_late_sales_and_reopening(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ana, beto) = (app.login("ana", None).await, app.login("beto", None).await);
    let despacho = app.login("despacho", None).await;
    let admin = app.login("admin", None).await;
    let planned = json!({"lines": [{"product_id": 10, "quantity": "40"}, {"product_id": 12, "quantity": "10"}]});
    let r = app
        .send(
            Method::PUT,
            &despacho,
            &format!("/api/v1/cargue/ID1/?date={DATE}"),
            &planned,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // 5 × 25.50 = 127.50 + 21 % (26.775 → 26.78) = 154.28 cash, 2 of
    // product 12 returned; 2.5 × 10.00 = 25.00 + 5.25 = 30.25 on credit; a
    // void and a draft that count for nothing; a sale of the next day.
    let cash = day_sale("confirmed", "cash", "5", "25.50");
    let mut credit = day_sale("confirmed", "credit", "2.5", "10.00");
    credit["returns"] = json!([]);
    let void = day_sale("cancelled", "cash", "30", "25.50");
    let draft = day_sale("draft", "transfer", "7", "25.50");
    let mut tomorrow = day_sale("confirmed", "cash", "1", "25.50");
    tomorrow["created_at"] = json!("2026-02-17T10:00:00Z");
    let mut refused = day_sale("confirmed", "cash", "1", "25.50");
    refused["customer_id"] = json!(999);
    refused["device_id"] = json!("TAB-2");
    let (status, body) = app
        .upload(&ana, vec![cash, credit, void, draft, tomorrow, refused])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["summary"]["errors"], 1);

    let (status, open) = settlement(&app, &despacho, "ID1").await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(
        (open["state"].as_str(), open["version"].as_i64()),
        (Some("open"), Some(0))
    );
    assert_eq!(open["sales_count"], 2);
    assert_eq!(open["voided_count"], 1);
    assert_eq!(
        open["payments"],
        json!({"cash": "154.28", "transfer": "0.00", "card": "0.00", "credit": "30.25", "total": "184.53"})
    );
    let arepa = line(&open, 10);
    assert_eq!(
        (&arepa["loaded"], &arepa["sold"], &arepa["expected_left"]),
        (&json!("40"), &json!("7.5"), &json!("32.5"))
    );
    assert_eq!(line(&open, 12)["returned"], "2");
    assert_eq!(line(&open, 12)["expected_left"], "10");
    assert_eq!(
        open["unsynced"],
        json!([{"device_id": "TAB-2", "name": null, "sales": 1, "reported_unsynced": null,
                "reported_at": null, "last_sync_at": null}])
    );

    // Who may see and settle.
    assert_eq!(settlement(&app, &ana, "ID1").await.0, StatusCode::OK);
    assert_eq!(
        settlement(&app, &beto, "ID1").await.0,
        StatusCode::FORBIDDEN
    );
    let count = json!({"date": DATE, "version": 0, "cash_counted": "150.00",
                       "lines": [{"product_id": 10, "left": "32"}, {"product_id": 12, "left": "10"}]});
    assert_eq!(
        settle(&app, &ana, count.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let mut bad = count.clone();
    bad["lines"][0]["left"] = json!("-1");
    let (status, refusal) = settle(&app, &despacho, bad).await;
    assert_eq!(
        (status, &refusal["field"]),
        (StatusCode::BAD_REQUEST, &json!("lines"))
    );

    let (status, settled) = settle(&app, &despacho, count.clone()).await;
    assert_eq!(status, StatusCode::OK, "{settled}");
    assert_eq!(
        (settled["state"].as_str(), settled["version"].as_i64()),
        (Some("settled"), Some(1))
    );
    assert_eq!(
        line(&settled, 10)["difference"],
        "-0.5",
        "half a unit short"
    );
    assert_eq!(line(&settled, 12)["difference"], "0");
    assert_eq!(settled["cash_difference"], "-4.28");
    assert_eq!(settled["settled_by"], "despacho");
    let sheet: Value = app
        .get(&despacho, &format!("/api/v1/cargue/ID1/?date={DATE}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sheet["closed"], true, "settling locks the sheet");
    assert_eq!(
        settle(&app, &despacho, count.clone()).await.0,
        StatusCode::CONFLICT
    );

    // A sale of the day that arrives after settling is accepted and flagged,
    // and announced on the seller's cargue stream (one event); a sale of a
    // day without a settlement is not.
    let seq = |sheet: Value| sheet["seq"].as_i64().unwrap_or(-1);
    let sheet_path = format!("/api/v1/cargue/ID1/?date={DATE}");
    let before = seq(app.get(&despacho, &sheet_path).await.json().await.unwrap());
    let mut other_day = day_sale("confirmed", "cash", "1", "10.00");
    other_day["created_at"] = json!("2026-02-18T10:00:00Z");
    let (status, _) = app.upload(&ana, vec![other_day]).await;
    assert_eq!(status, StatusCode::OK);
    let unchanged = seq(app.get(&despacho, &sheet_path).await.json().await.unwrap());
    assert_eq!(unchanged, before, "no settled day, no event");
    let (status, late) = app
        .upload(&ana, vec![day_sale("confirmed", "cash", "1", "10.00")])
        .await;
    assert_eq!(
        (status, &late["summary"]["successful"]),
        (StatusCode::OK, &json!(1))
    );
    let announced = seq(app.get(&despacho, &sheet_path).await.json().await.unwrap());
    assert_eq!(announced, before + 1, "day_sales_changed on the stream");
    let (_, after) = settlement(&app, &despacho, "ID1").await;
    assert_eq!(after["late_sales"].as_array().map(Vec::len), Some(1));
    assert_eq!(after["late_sales"][0]["total"], "12.10");
    assert_eq!(
        after["payments"]["cash"], "166.38",
        "recomputed with the late sale"
    );
    assert_eq!(after["cash_difference"], "-16.38");
    assert_eq!(after["version"], 1, "the count itself stays");

    // Only an admin re-opens, with a reason; the next count is version 2.
    let reopen = |reason: &str| json!({"date": DATE, "reason": reason});
    let path = "/api/v1/cargue/ID1/reopen/";
    assert_eq!(
        app.post(&despacho, path, &reopen("x")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&admin, path, &reopen("  ")).await.status(),
        StatusCode::BAD_REQUEST
    );
    let r = app.post(&admin, path, &reopen("venta tardía")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let reopened: Value = r.json().await.unwrap();
    assert_eq!(reopened["state"], "reopened");
    assert_eq!(reopened["reopen_reason"], "venta tardía");
    assert_eq!(
        app.post(&admin, path, &reopen("otra vez")).await.status(),
        StatusCode::CONFLICT,
        "only a settled day re-opens"
    );
    let stale = settle(&app, &despacho, count.clone()).await;
    assert_eq!(
        stale.0,
        StatusCode::CONFLICT,
        "counted on version 0: {}",
        stale.1
    );
    let mut recount = count.clone();
    recount["version"] = json!(1);
    recount["cash_counted"] = json!("166.38");
    let (status, again) = settle(&app, &despacho, recount).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["version"], 2);
    assert_eq!(again["cash_difference"], "0.00");
    assert_eq!(again["late_sales"], json!([]), "settled after it arrived");

    let versions: Value = app
        .get(
            &despacho,
            &format!("/api/v1/cargue/ID1/settlement/versions/?date={DATE}"),
        )
        .await
        .json()
        .await
        .unwrap();
    let versions = versions.as_array().cloned().unwrap_or_default();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]["cash_difference"], "-4.28",
        "what version 1 said"
    );

    for action in ["settle_shift", "reopen_shift"] {
        let log: Value = app
            .get(&admin, &format!("/api/v1/sync/log/?action={action}"))
            .await
            .json()
            .await
            .unwrap();
        let rows = log["results"].as_array().cloned().unwrap_or_default();
        assert!(!rows.is_empty(), "{action} is logged");
    }
}

async fn the_daily_report_sums_each_sellers_day_and_exports_csv(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ana, beto) = (app.login("ana", None).await, app.login("beto", None).await);
    let admin = app.login("admin", None).await;
    let mut credit = day_sale("confirmed", "credit", "2.5", "10.00");
    credit["returns"] = json!([]);
    let mut next_day = day_sale("confirmed", "transfer", "1", "10.00");
    next_day["created_at"] = json!("2026-02-17T23:59:59Z");
    let (status, _) = app
        .upload(
            &ana,
            vec![
                day_sale("confirmed", "cash", "5", "25.50"),
                credit,
                day_sale("cancelled", "cash", "30", "25.50"),
                day_sale("draft", "cash", "1", "25.50"),
                next_day,
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .upload(&beto, vec![day_sale("confirmed", "card", "1", "10.00")])
        .await;
    assert_eq!(status, StatusCode::OK);

    let path = "/api/v1/reports/daily/?from=2026-02-16&to=2026-02-17";
    assert_eq!(app.get(&ana, path).await.status(), StatusCode::FORBIDDEN);
    let report: Value = app.get(&admin, path).await.json().await.unwrap();
    let rows = report["rows"].as_array().cloned().unwrap_or_default();
    let keyed: Vec<(String, String, i64, String)> = rows
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap_or_default().to_owned(),
                r["seller_code"].as_str().unwrap_or_default().to_owned(),
                r["sales"].as_i64().unwrap_or(-1),
                r["total"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        keyed,
        [
            ("2026-02-16".into(), "ID1".into(), 2, "184.53".into()),
            ("2026-02-16".into(), "ID2".into(), 1, "12.10".into()),
            ("2026-02-17".into(), "ID1".into(), 1, "12.10".into()),
        ]
    );
    assert_eq!(rows[0]["voided"], 1);
    assert_eq!(rows[0]["cash"], "154.28");
    assert_eq!(report["totals"]["total"], "208.73");

    let one: Value = app
        .get(&admin, &format!("{path}&seller=ID2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["rows"].as_array().map(Vec::len), Some(1));
    let r = app
        .get(
            &admin,
            "/api/v1/reports/daily.csv?from=2026-02-16&to=2026-02-16",
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "date,seller_code,sales,voided,cash,transfer,card,credit,total"
    );
    assert_eq!(lines[1], "2026-02-16,ID1,2,1,154.28,0.00,0.00,30.25,184.53");
    assert_eq!(lines.len(), 3);
    for bad in [
        "from=2026-02-17&to=2026-02-16",
        "from=x&to=2026-02-16",
        "from=2025-01-01&to=2026-02-16",
    ] {
        let r = app
            .get(&admin, &format!("/api/v1/reports/daily/?{bad}"))
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

/// A void is a new version that keeps the number, is logged, leaves the
/// day's figures, and is final; a seller voids only their own sale of the
/// same day, offline as an edit with a reason, online through the endpoint.
async fn a_voided_sale_keeps_its_number_and_leaves_the_figures(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ana, beto) = (app.login("ana", None).await, app.login("beto", None).await);
    let admin = app.login("admin", None).await;
    let today = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let mut online = day_sale("confirmed", "cash", "5", "25.50");
    online["created_at"] = json!(today);
    let mut offline = day_sale("confirmed", "cash", "1", "10.00");
    offline["created_at"] = json!(today);
    let old = day_sale("confirmed", "cash", "1", "10.00");
    let (status, body) = app
        .upload(&ana, vec![online.clone(), offline.clone(), old.clone()])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id_of = |i: usize| body["results"][i]["sale_id"].as_i64().unwrap_or(0);
    let number = body["results"][0]["sale_number"].clone();

    // Online: beto cannot, ana can (same day), with a reason.
    let void = |id: i64| format!("/api/v1/sales/{id}/void/");
    let reason = json!({"reason": "cliente no recibió"});
    assert_eq!(
        app.post(&beto, &void(id_of(0)), &reason).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = app.post(&ana, &void(id_of(0)), &reason).await;
    assert_eq!(r.status(), StatusCode::OK);
    let voided: Value = r.json().await.unwrap();
    assert_eq!(
        (&voided["status"], &voided["number"]),
        (&json!("cancelled"), &number)
    );
    assert_eq!(voided["version"], 2);
    assert_eq!(
        app.post(&admin, &void(id_of(0)), &reason).await.status(),
        StatusCode::CONFLICT,
        "a void is final"
    );
    // An earlier day's sale: the seller is sent to the admin, who may.
    assert_eq!(
        app.post(&ana, &void(id_of(2)), &reason).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&admin, &void(id_of(2)), &reason).await.status(),
        StatusCode::OK
    );

    // Offline: the phone uploads the void as an edit; without a reason it
    // is refused and the sale stays as it was.
    let mut edit = offline.clone();
    edit["status"] = json!("cancelled");
    let (_, refused) = app.upload(&ana, vec![edit.clone()]).await;
    assert_eq!(refused["results"][0]["status"], "error");
    assert!(refused["results"][0]["error"]
        .as_str()
        .is_some_and(|m| m.contains("void_reason")));
    edit["void_reason"] = json!("pedido duplicado");
    let (_, accepted) = app.upload(&ana, vec![edit]).await;
    assert_eq!(accepted["results"][0]["status"], "success", "{accepted}");
    assert_eq!(accepted["results"][0]["version"], 2);

    let log: Value = app
        .get(&admin, "/api/v1/sync/log/?action=void_sale")
        .await
        .json()
        .await
        .unwrap();
    let rows = log["results"].as_array().cloned().unwrap_or_default();
    let succeeded = rows.iter().filter(|r| r["success"] == true).count();
    assert_eq!(succeeded, 3, "two online voids and one offline");

    let today_date = &today[..10];
    let report: Value = app
        .get(
            &admin,
            &format!("/api/v1/reports/daily/?from={today_date}&to={today_date}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["totals"]["sales"], 0, "{report}");
    assert_eq!(report["totals"]["voided"], 2);
}

/// An admin names a device; the dashboard shows the name, the device's
/// seller reads it, the rename is logged.
async fn a_named_device_shows_its_name(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = app.login("ana", Some("TAB-CAMION-3")).await;
    let admin = app.login("admin", None).await;
    let path = "/api/v1/devices/TAB-CAMION-3/";
    let before: Value = app.get(&ana, path).await.json().await.unwrap();
    assert_eq!(before, json!({"device_id": "TAB-CAMION-3", "name": null}));
    let rename = json!({"name": "  Tablet camión 3 "});
    let r = app
        .send(
            Method::PUT,
            &ana,
            "/api/v1/devices/TAB-CAMION-3/name/",
            &rename,
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/devices/TAB-CAMION-3/name/",
            &rename,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let after: Value = app.get(&ana, path).await.json().await.unwrap();
    assert_eq!(after["name"], "Tablet camión 3");
    let empty = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/devices/TAB-CAMION-3/name/",
            &json!({"name": " "}),
        )
        .await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let overview: Value = app
        .get(&admin, "/api/v1/admin/overview/")
        .await
        .json()
        .await
        .unwrap();
    let device = overview["devices"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["device_id"] == "TAB-CAMION-3"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(device["name"], "Tablet camión 3");
    let log: Value = app
        .get(&admin, "/api/v1/sync/log/?action=device_rename")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["results"].as_array().map(Vec::len), Some(1));
}

both_backends!(
    a_day_settles_with_exact_figures_late_sales_and_reopening,
    the_daily_report_sums_each_sellers_day_and_exports_csv,
    a_voided_sale_keeps_its_number_and_leaves_the_figures,
    a_named_device_shows_its_name,
);
