//! Admin and security actions on the hash-chained log (issue 17, "On the
//! record"), and catalog edits from a stale version settled by the
//! entity type's strategy.
use crate::authz::user_id;
use crate::both_backends;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn rows_of(app: &TestApp, admin: &str, action: &str) -> Vec<Value> {
    let r = app
        .get(
            admin,
            &format!("/api/v1/sync/log/?action={action}&limit=200"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "log of {action}");
    let page: Value = r.json().await.unwrap();
    page["results"].as_array().unwrap().clone()
}

/// The newest row of `action`, which must exist.
async fn newest(app: &TestApp, admin: &str, action: &str) -> Value {
    let rows = rows_of(app, admin, action).await;
    assert!(!rows.is_empty(), "no {action} row");
    rows[0].clone()
}

async fn csv(app: &TestApp, token: &str, path: &str, body: &str) -> (StatusCode, String) {
    let r = app
        .client
        .post(app.url(path))
        .header("Authorization", format!("Token {token}"))
        .header("Content-Type", "text/csv")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = app.post(token, path, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "POST {path} {body}");
    r.json().await.unwrap()
}

async fn sent(app: &TestApp, method: Method, token: &str, path: &str, body: Value) -> Value {
    let r = app.send(method.clone(), token, path, &body).await;
    assert!(r.status().is_success(), "{method} {path}: {}", r.status());
    if r.status() == StatusCode::NO_CONTENT {
        return Value::Null;
    }
    r.json().await.unwrap()
}

async fn every_admin_and_security_action_is_on_the_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;

    // A refused login: the name tried, from where, never the password.
    let refused = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "ana", "password": "not-her-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let row = newest(&app, &admin, "login_failed").await;
    assert_eq!(row["username"], "ana");
    assert_eq!(row["success"], false);
    assert_eq!(row["ip"], "127.0.0.1");
    assert!(!row.to_string().contains("not-her-password"));

    // Catalog: create, edit, price change, deactivate, import.
    let c = created(
        &app,
        &admin,
        "/api/v1/customers/",
        json!({"name": "Tienda Log"}),
    )
    .await;
    let cid = c["id"].as_i64().unwrap();
    let row = newest(&app, &admin, "catalog_create").await;
    assert_eq!(row["detail"]["entity"], "customer");
    assert_eq!(row["detail"]["id"], cid);
    assert_eq!(row["username"], "admin");
    let path = format!("/api/v1/customers/{cid}/");
    let body = json!({"name": "Tienda Log", "phone": "300 111"});
    sent(&app, Method::PUT, &admin, &path, body).await;
    let row = newest(&app, &admin, "catalog_update").await;
    assert_eq!(row["detail"]["fields"], json!(["phone"]));

    let p = created(
        &app,
        &admin,
        "/api/v1/products/",
        json!({"sku": "LOG-1", "name": "Producto log", "unit_price": "1000"}),
    )
    .await;
    let pid = p["id"].as_i64().unwrap();
    let path = format!("/api/v1/products/{pid}/");
    let body = json!({"sku": "LOG-1", "name": "Producto log", "unit_price": "1200"});
    sent(&app, Method::PUT, &admin, &path, body).await;
    let row = newest(&app, &admin, "price_change").await;
    assert_eq!(
        row["detail"],
        json!({"product_id": pid, "sku": "LOG-1", "name": "Producto log", "from": "1000.00", "to": "1200.00"})
    );
    sent(&app, Method::DELETE, &admin, &path, json!({})).await;
    let row = newest(&app, &admin, "catalog_deactivate").await;
    assert_eq!(row["detail"], json!({"entity": "product", "id": pid}));

    let file = "sku,name,unit_price,tax_percentage\nLOG-1,Producto log,1500,0\nLOG-2,Otro,200,0\nBAD-1,,100,0\n";
    let (status, report) = csv(&app, &admin, "/api/v1/products/import/", file).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let row = newest(&app, &admin, "catalog_import").await;
    assert_eq!(
        row["detail"],
        json!({"entity": "product", "created": 1, "updated": 1, "rejected": 1})
    );
    let row = newest(&app, &admin, "price_change").await;
    assert_eq!(row["detail"]["from"], "1200.00");
    assert_eq!(row["detail"]["to"], "1500.00");

    // Users, passwords, tokens.
    let u = created(
        &app,
        &admin,
        "/api/v1/users/",
        json!({"username": "nuevo", "password": "secreto-1", "role": "dispatcher"}),
    )
    .await;
    let row = newest(&app, &admin, "user_create").await;
    assert_eq!(row["detail"]["username"], "nuevo");
    assert_eq!(row["detail"]["role"], "dispatcher");
    assert_eq!(row["detail"]["user_id"], u["id"]);
    assert!(!row.to_string().contains("secreto-1"));

    let ana = user_id(&app, "ana").await;
    let _phone = app.login("ana", Some("PHONE-LOG")).await;
    let reset = format!("/api/v1/users/{ana}/password/");
    sent(
        &app,
        Method::POST,
        &admin,
        &reset,
        json!({"password": "otra-clave"}),
    )
    .await;
    let row = newest(&app, &admin, "password_reset").await;
    assert_eq!(row["detail"]["username"], "ana");
    assert_eq!(
        row["detail"]["tokens_revoked"].as_array().map(Vec::len),
        Some(1)
    );

    let beto_phone = app.login("beto", Some("PHONE-REV")).await;
    let beto = user_id(&app, "beto").await;
    let tokens = app
        .get(&admin, &format!("/api/v1/users/{beto}/tokens/"))
        .await;
    let tokens: Value = tokens.json().await.unwrap();
    let token_id = tokens[0]["id"].as_i64().unwrap();
    let revoke = format!("/api/v1/tokens/{token_id}/");
    sent(&app, Method::DELETE, &admin, &revoke, json!({})).await;
    let row = newest(&app, &admin, "token_revoke").await;
    assert_eq!(
        row["detail"],
        json!({"token_id": token_id, "user_id": beto, "device_id": "PHONE-REV"})
    );
    assert_eq!(
        app.get(&beto_phone, "/api/v1/auth/me/").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Settings: strategies and the rate limit, with what they replaced.
    let config = json!({"customer": {"strategy": "server_wins"}});
    sent(&app, Method::PUT, &admin, "/api/v1/sync/config/", config).await;
    let row = newest(&app, &admin, "config_change").await;
    assert_eq!(row["detail"]["entity"], "customer");
    assert_eq!(row["detail"]["strategy"], "server_wins");
    assert_eq!(row["detail"]["from"]["strategy"], "last_write_wins");
    let rate = json!({"rate": "120/hour"});
    sent(&app, Method::PUT, &admin, "/api/v1/sync/rate/", rate).await;
    let row = newest(&app, &admin, "rate_change").await;
    assert_eq!(row["detail"]["to"], "120/hour");

    // Webhooks: every change, never the secret.
    let hook = created(
        &app,
        &admin,
        "/api/v1/webhooks/",
        json!({"url": "http://127.0.0.1:9/hook", "events": ["sale_synced"]}),
    )
    .await;
    let hid = hook["id"].as_i64().unwrap();
    let hook_path = format!("/api/v1/webhooks/{hid}/");
    sent(
        &app,
        Method::PUT,
        &admin,
        &hook_path,
        json!({"active": false}),
    )
    .await;
    sent(&app, Method::DELETE, &admin, &hook_path, json!({})).await;
    let ops: Vec<Value> = rows_of(&app, &admin, "webhook_change")
        .await
        .iter()
        .map(|r| r["detail"]["op"].clone())
        .collect();
    assert_eq!(ops, vec![json!("delete"), json!("update"), json!("create")]);
    let secret = hook["secret"].as_str().unwrap();
    for r in rows_of(&app, &admin, "webhook_change").await {
        assert!(!r.to_string().contains(secret));
    }

    // Cargue: the sheet, the product and the check's value.
    let dispatcher = app.login("despacho", None).await;
    let sheet = "/api/v1/cargue/ID1/?date=2026-02-16";
    let lines = json!({"lines": [{"product_id": 1, "quantity": "40"}]});
    sent(&app, Method::PUT, &dispatcher, sheet, lines).await;
    let ana_now = app.login_with("ana", "otra-clave", None).await;
    let check = json!({"date": "2026-02-16", "product_id": 1, "v": true});
    sent(
        &app,
        Method::POST,
        &ana_now,
        "/api/v1/cargue/ID1/check/",
        check,
    )
    .await;
    let row = newest(&app, &admin, "update_cargue").await;
    assert_eq!(row["detail"]["seller_code"], "ID1");
    assert_eq!(row["detail"]["date"], "2026-02-16");
    assert_eq!(row["detail"]["product_id"], 1);
    assert!(row["detail"]["product"].is_string());
    assert_eq!(row["detail"]["v"], true);
    assert!(
        row["detail"].get("d").is_none(),
        "only the check that was set"
    );

    // Logout.
    let r = app
        .send(Method::POST, &ana_now, "/api/v1/auth/logout/", &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let row = newest(&app, &admin, "logout").await;
    assert_eq!(row["username"], "ana");

    // The chain, details included, still verifies.
    let verdict: Value = app
        .get(&admin, "/api/v1/sync/log/verify/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verdict["ok"], true, "{verdict}");
}

async fn set_strategy(app: &TestApp, admin: &str, entity: &str, strategy: &str) {
    let body = json!({ entity: {"strategy": strategy} });
    sent(app, Method::PUT, admin, "/api/v1/sync/config/", body).await;
}

/// Two edits from version `v`: the first lands, the second is stale.
async fn second_of_two_edits(
    app: &TestApp,
    admin: &str,
    path: &str,
    first: Value,
    second: Value,
) -> reqwest::Response {
    let r = app.send(Method::PUT, admin, path, &first).await;
    assert_eq!(r.status(), StatusCode::OK, "first edit {first}");
    app.send(Method::PUT, admin, path, &second).await
}

async fn a_stale_catalog_edit_is_settled_by_the_strategy(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let later = "2999-01-01T00:00:00Z";
    let earlier = "2000-01-01T00:00:00Z";
    // (strategy, the stale edit's time, is it applied)
    let cases = [
        ("server_wins", later, false),
        ("client_wins", earlier, true),
        ("last_write_wins", later, true),
        ("last_write_wins", earlier, false),
        ("merge", later, false),
        ("manual", later, false),
    ];
    for (strategy, edited_at, applies) in cases {
        set_strategy(&app, &admin, "customer", strategy).await;
        let c = created(
            &app,
            &admin,
            "/api/v1/customers/",
            json!({"name": "Tienda A"}),
        )
        .await;
        let (id, v) = (c["id"].as_i64().unwrap(), c["version"].as_i64().unwrap());
        let path = format!("/api/v1/customers/{id}/");
        let tab_one = json!({"name": "Tienda A", "phone": "1", "version": v});
        let tab_two = json!({"name": "Tienda B", "version": v, "edited_at": edited_at});
        let r = second_of_two_edits(&app, &admin, &path, tab_one, tab_two).await;
        let stored: Value = app.get(&admin, &path).await.json().await.unwrap();
        let case = format!("{strategy} edited {edited_at}");
        if applies {
            assert_eq!(r.status(), StatusCode::OK, "{case}");
            assert_eq!(stored["name"], "Tienda B", "{case}");
            assert_eq!(stored["version"], v + 2, "{case}");
        } else {
            assert_eq!(r.status(), StatusCode::CONFLICT, "{case}");
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["error"], "CONFLICT", "{case}");
            assert!(
                body["message"].as_str().unwrap().contains("versión"),
                "{case}"
            );
            assert_eq!(body["id"], id);
            let conflict = &body["conflict"];
            assert_eq!(conflict["client_version"], v, "{case}");
            assert_eq!(conflict["server_version"], v + 1, "{case}");
            assert_eq!(conflict["fields"], json!(["name", "phone"]), "{case}");
            assert_eq!(conflict["server"]["phone"], "1", "{case}");
            assert_eq!(conflict["client"]["name"], "Tienda B", "{case}");
            assert_eq!(stored["name"], "Tienda A", "{case}: nothing written");
            assert_eq!(stored["version"], v + 1, "{case}");
        }
    }

    // Products follow their own strategy (server_wins by default); an edit
    // that names no version applies as before.
    let p = created(
        &app,
        &admin,
        "/api/v1/products/",
        json!({"sku": "VER-1", "name": "P", "unit_price": "100"}),
    )
    .await;
    let (id, v) = (p["id"].as_i64().unwrap(), p["version"].as_i64().unwrap());
    let path = format!("/api/v1/products/{id}/");
    let first = json!({"sku": "VER-1", "name": "P", "unit_price": "110", "version": v});
    let stale =
        json!({"sku": "VER-1", "name": "P", "unit_price": "90", "version": v, "edited_at": later});
    let r = second_of_two_edits(&app, &admin, &path, first, stale).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let unversioned = json!({"sku": "VER-1", "name": "P", "unit_price": "95"});
    let r = app.send(Method::PUT, &admin, &path, &unversioned).await;
    assert_eq!(r.status(), StatusCode::OK);
    let current = json!({"sku": "VER-1", "name": "P", "unit_price": "96", "version": v + 2});
    let r = app.send(Method::PUT, &admin, &path, &current).await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the current version is not stale"
    );
}

both_backends!(
    every_admin_and_security_action_is_on_the_record,
    a_stale_catalog_edit_is_settled_by_the_strategy,
);
