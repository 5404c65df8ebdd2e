use crate::both_backends;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn contract_example_is_stored_with_exact_totals(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", Some("ANDROID-SM-A14-K3J9X2")).await;
    let id = new_id();
    let (status, body) = app.upload(&token, vec![sale(&id)]).await;
    assert_eq!(status, StatusCode::OK);
    let r = &body["results"][0];
    assert_eq!(r["status"], "success");
    assert_eq!(r["local_id"], id.as_str());
    assert_eq!(r["version"], 1);
    assert!(r["sale_number"].as_str().unwrap().starts_with("VTA-"));
    assert_eq!(
        body["summary"],
        json!({"total": 1, "successful": 1, "duplicates": 0, "conflicts": 0, "errors": 0})
    );

    let detail: Value = app
        .get(&token, &format!("/api/v1/sales/{}/", r["sale_id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["total"], "154.28");
    assert_eq!(detail["tax_total"], "26.78");
    assert_eq!(detail["items"][0]["line_total"], "154.28");
    assert_eq!(detail["items"][0]["quantity"], "5.000");
    assert_eq!(detail["seller_code"], "ID1");
    assert_eq!(detail["payment_status"], "paid");
    assert_eq!(detail["returns"][0]["reason"], "expired");
    assert_eq!(detail["notes"], "Cliente VIP - pedido urgente");
}

async fn retry_of_the_same_sale_is_a_duplicate(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let id = new_id();
    let (_, first) = app.upload(&token, vec![sale(&id)]).await;
    // Same content, other representation: decimals, key order, device.
    let mut again = sale(&id);
    again["items"][0]["quantity"] = json!(5);
    again["device_id"] = json!("OTHER-DEVICE");
    let (status, second) = app.upload(&token, vec![again]).await;
    assert_eq!(status, StatusCode::OK);
    let r = &second["results"][0];
    assert_eq!(r["status"], "success");
    assert_eq!(r["duplicate"], true);
    assert_eq!(r["message"], "Sale already synced");
    assert_eq!(r["sale_id"], first["results"][0]["sale_id"]);
    assert_eq!(r["sale_number"], first["results"][0]["sale_number"]);
    assert_eq!(second["summary"]["duplicates"], 1);
    assert_eq!(second["summary"]["successful"], 1);
    assert_eq!(app.sale_count().await, 1);
}

/// API.md: check 4 (duplicate) comes before check 6 (product exists), and a
/// deactivated product exists for no check: a late retry of a sale accepted
/// before its product was deactivated is still a duplicate, an edit is not.
async fn a_retry_after_its_product_was_deactivated_is_still_a_duplicate(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let admin = app.login("admin", None).await;
    let id = new_id();
    let (_, first) = app.upload(&token, vec![sale(&id)]).await;
    assert_eq!(first["results"][0]["status"], "success");
    let gone = app
        .send(Method::DELETE, &admin, "/api/v1/products/10/", &json!({}))
        .await;
    assert!(gone.status().is_success(), "{}", gone.status());

    let mut again = sale(&id);
    again["device_id"] = json!("OTHER-DEVICE");
    let (status, second) = app.upload(&token, vec![again.clone()]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(second["results"][0]["duplicate"], true, "{second}");
    assert_eq!(
        second["results"][0]["sale_id"],
        first["results"][0]["sale_id"]
    );

    again["device_id"] = json!("THIRD-DEVICE");
    let single = app.post(&token, "/api/v1/sales/", &again).await;
    assert_eq!(single.status(), StatusCode::OK);
    let body: Value = single.json().await.unwrap();
    assert_eq!(body["warning"], "Venta ya existe");

    let mut edit = sale(&id);
    edit["notes"] = json!("otra nota");
    let (_, third) = app.upload(&token, vec![edit]).await;
    assert_eq!(third["results"][0]["status"], "error");
    assert_eq!(
        third["results"][0]["error"],
        "Item #0: Producto con id=10 no existe"
    );
    assert_eq!(app.sale_count().await, 1);
}

async fn each_check_gives_its_message_and_keeps_the_upload(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let mut no_customer = sale(&new_id());
    no_customer["customer_id"] = json!(999);
    let mut no_items = sale(&new_id());
    no_items["items"] = json!([]);
    let mut bad_product = sale(&new_id());
    bad_product["items"][0]["product_id"] = json!(777);
    let mut zero_qty = sale(&new_id());
    zero_qty["items"][0]["quantity"] = json!("0");
    let mut missing = sale("");
    missing.as_object_mut().unwrap().remove("local_id");
    let not_uuid = sale("VEN-0001");
    let good = sale(&new_id());
    let (status, body) = app
        .upload(
            &token,
            vec![
                no_customer,
                no_items,
                bad_product,
                zero_qty,
                missing,
                not_uuid,
                good,
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let errors: Vec<&str> = body["results"].as_array().unwrap()[..6]
        .iter()
        .map(|r| r["error"].as_str().unwrap())
        .collect();
    assert_eq!(
        errors,
        vec![
            "Customer con id=999 no existe",
            "Sale debe tener al menos 1 item",
            "Item #0: Producto con id=777 no existe",
            "Item #0: quantity debe ser mayor a 0",
            "local_id requerido y no puede estar vacío",
            "local_id debe ser UUID válido (RFC 4122)",
        ]
    );
    assert_eq!(body["results"][4]["local_id"], "MISSING");
    assert_eq!(body["results"][5]["local_id"], "VEN-0001");
    assert_eq!(body["results"][6]["status"], "success");
    // Checks 3, 5, 6, 7 keep the sale (with a sale_id) for retry; 1–2 cannot.
    for r in &body["results"].as_array().unwrap()[..4] {
        assert!(r["sale_id"].as_i64().is_some(), "{r}");
    }
    assert!(body["results"][4].get("sale_id").is_none());
    assert_eq!(body["summary"]["errors"], 6);

    let pending: Value = app
        .get(&token, "/api/v1/sales/sync/pending/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending["count"], 4);
    assert!(pending["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["sync_status"] == "error"));
    // `customer` is the id (as in the contract's seed), the name beside it;
    // no invoicing yet, so every row is `not_required`.
    let rows = pending["results"].as_array().unwrap();
    let by_sale = |id: &Value| rows.iter().find(|r| &r["id"] == id).unwrap();
    let no_items_row = by_sale(&body["results"][1]["sale_id"]);
    assert_eq!(no_items_row["customer"], sale("x")["customer_id"]);
    assert!(no_items_row["customer_name"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));
    assert_eq!(no_items_row["fiscal_status"], "not_required");
    let no_customer_row = by_sale(&body["results"][0]["sale_id"]);
    assert_eq!(no_customer_row["customer"], 999);
    assert_eq!(no_customer_row["customer_name"], Value::Null);
}

async fn a_batch_of_only_errors_is_400_and_limits_apply(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let mut bad = sale(&new_id());
    bad["customer_id"] = json!(999);
    let (status, body) = app.upload(&token, vec![bad]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["summary"]["errors"], 1);

    let (status, body) = app.upload(&token, vec![]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error": "sales no puede estar vacío", "field": "sales"})
    );

    let many: Vec<Value> = (0..501).map(|_| sale(&new_id())).collect();
    let (status, body) = app.upload(&token, many).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body["detail"].is_string());
    assert_eq!(app.sale_count().await, 1, "only the kept error sale");
}

/// The contract: "sales es requerido y debe ser una lista" whenever the
/// envelope has no `sales` list, and nothing is stored.
async fn an_upload_without_a_sales_list_is_refused_with_the_contract_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    for body in [
        json!({}),
        json!({"sales": {}}),
        json!({"sales": "x"}),
        json!({"sales": null}),
        json!({"ventas": [sale(&new_id())]}),
        json!([sale(&new_id())]),
    ] {
        let r = app.post(&token, "/api/v1/sales/sync/upload/", &body).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
        let answer: Value = r.json().await.unwrap();
        assert_eq!(
            answer,
            json!({"error": "sales es requerido y debe ser una lista", "field": "sales"}),
            "{body}"
        );
    }
    assert_eq!(app.sale_count().await, 0);
}

async fn a_local_id_of_another_seller_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = app.login("ana", None).await;
    let beto = app.login("beto", None).await;
    let id = new_id();
    app.upload(&ana, vec![sale(&id)]).await;
    let mut other = sale(&id);
    other["notes"] = json!("hijacked");
    let (_, body) = app.upload(&beto, vec![other]).await;
    assert_eq!(
        body["results"][0]["error"],
        "local_id pertenece a otro vendedor"
    );
    let sales: Value = app.get(&ana, "/api/v1/sales/").await.json().await.unwrap();
    assert_eq!(sales["results"][0]["notes"], "Cliente VIP - pedido urgente");
    // Sellers see only their own sales.
    let theirs: Value = app.get(&beto, "/api/v1/sales/").await.json().await.unwrap();
    assert_eq!(theirs["count"], 0);
    let sale_id = sales["results"][0]["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&beto, &format!("/api/v1/sales/{sale_id}/"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn an_admin_edit_keeps_the_seller_and_makes_the_sellers_stale_edit_a_conflict(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let ana = app.login("ana", None).await;
    let admin = app.login("admin", None).await;
    let id = new_id();
    let mut draft = sale(&id);
    draft["status"] = json!("draft");
    app.upload(&ana, vec![draft.clone()]).await;
    let mut by_admin = draft.clone();
    by_admin["notes"] = json!("Cambió el horario");
    let (_, body) = app.upload(&admin, vec![by_admin]).await;
    assert_eq!(body["results"][0]["status"], "success");
    assert_eq!(body["results"][0]["version"], 2);
    let mine: Value = app.get(&ana, "/api/v1/sales/").await.json().await.unwrap();
    assert_eq!(mine["count"], 1, "the sale is still ana's");
    assert_eq!(mine["results"][0]["notes"], "Cambió el horario");
    // Ana's offline edit on version 1 now conflicts.
    let mut stale = draft;
    stale["items"][0]["quantity"] = json!("8");
    let (_, body) = app.upload(&ana, vec![stale]).await;
    assert_eq!(body["results"][0]["status"], "conflict");
    assert_eq!(
        body["results"][0]["conflict"]["fields"],
        json!(["items", "notes"])
    );
}

async fn single_sale_endpoint(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let id = new_id();
    let created = app.post(&token, "/api/v1/sales/", &sale(&id)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["local_id"], id.as_str());
    assert_eq!(body["total"], "154.28");
    let again = app.post(&token, "/api/v1/sales/", &sale(&id)).await;
    assert_eq!(again.status(), StatusCode::OK);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["warning"], "Venta ya existe");
    let mut bad = sale(&new_id());
    bad["customer_id"] = json!(4242);
    let refused = app.post(&token, "/api/v1/sales/", &bad).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "Customer con id=4242 no existe");
    assert!(body["sale_id"].as_i64().is_some());
}

async fn sale_list_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = app.login("ana", None).await;
    let beto = app.login("beto", None).await;
    app.upload(&ana, vec![sale(&new_id()), sale(&new_id())])
        .await;
    app.upload(&beto, vec![sale(&new_id())]).await;
    let admin = app.login("admin", None).await;
    let all: Value = app
        .get(&admin, "/api/v1/sales/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["count"], 3);
    let id2: Value = app
        .get(&admin, "/api/v1/sales/?seller=ID2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(id2["count"], 1);
    let day: Value = app
        .get(&admin, "/api/v1/sales/?date=2026-02-16")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(day["count"], 3);
    let other_day: Value = app
        .get(&admin, "/api/v1/sales/?date=2026-02-17")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other_day["count"], 0);
    assert_eq!(
        app.get(&admin, "/api/v1/sales/?date=16-02-2026")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

async fn sync_endpoints_are_throttled(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            sync_rate: ruta_server::config::Config::default().sync_rate,
            ..Options::default()
        },
    )
    .await;
    assert_eq!(
        ruta_server::config::Config::default().sync_rate.to_string(),
        "50/hour"
    );
    let token = app.login("ana", None).await;
    for _ in 0..50 {
        let r = app.get(&token, "/api/v1/sales/sync/pending/").await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = app
        .post(
            &token,
            "/api/v1/sales/sync/upload/",
            &json!({"sales": [sale(&new_id())]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // A token bucket: one request back every 3600/50 = 72 s (less the
    // time the 50 took), not the rest of an hour.
    assert!((60..=72).contains(&wait), "Retry-After {wait}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["detail"],
        format!("Request was throttled. Expected available in {wait} seconds.")
    );
    // Another user has its own budget; the catalog is not throttled.
    let beto = app.login("beto", None).await;
    assert_eq!(
        app.get(&beto, "/api/v1/sales/sync/pending/").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&token, "/api/v1/products/").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.sale_count().await, 0);
}

async fn an_admin_sets_the_sync_rate_at_run_time(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let ana = app.login("ana", None).await;
    let r = app.get(&admin, "/api/v1/sync/rate/").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["rate"], "off");
    // Only admins read or change it, and nonsense is refused.
    assert_eq!(
        app.get(&ana, "/api/v1/sync/rate/").await.status(),
        StatusCode::FORBIDDEN
    );
    let r = app
        .send(
            Method::PUT,
            &ana,
            "/api/v1/sync/rate/",
            &json!({"rate": "off"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/sync/rate/",
            &json!({"rate": "lots"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["field"], "rate");

    let r = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/sync/rate/",
            &json!({"rate": "2/Hour"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["rate"], "2/hour");
    for _ in 0..2 {
        let r = app.get(&ana, "/api/v1/sales/sync/pending/").await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = app.get(&ana, "/api/v1/sales/sync/pending/").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Kept in the database: a restarted instance starts with it.
    let saved = ruta_server::store::settings::get(app.db.read(), "sync_rate")
        .await
        .unwrap();
    assert_eq!(saved.as_deref(), Some("2/hour"));
}

both_backends!(
    an_admin_sets_the_sync_rate_at_run_time,
    contract_example_is_stored_with_exact_totals,
    retry_of_the_same_sale_is_a_duplicate,
    a_retry_after_its_product_was_deactivated_is_still_a_duplicate,
    each_check_gives_its_message_and_keeps_the_upload,
    a_batch_of_only_errors_is_400_and_limits_apply,
    an_upload_without_a_sales_list_is_refused_with_the_contract_message,
    a_local_id_of_another_seller_is_refused,
    an_admin_edit_keeps_the_seller_and_makes_the_sellers_stale_edit_a_conflict,
    single_sale_endpoint,
    sale_list_filters,
    sync_endpoints_are_throttled,
);
