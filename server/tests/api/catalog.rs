use crate::both_backends;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn customers_crud_and_search(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let seller = app.login("ana", None).await;
    let list: Value = app
        .get(&seller, "/api/v1/customers/?q=rosa")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["count"], 1);
    assert_eq!(list["results"][0]["business_name"], "Tienda Doña Rosa");

    // A seller may add a new shop met on the route.
    let r = app
        .post(
            &seller,
            "/api/v1/customers/",
            &json!({"name": "Tienda Nueva 50%_off", "route": "Norte"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["version"], 1);
    // LIKE wildcards in the search term are literal.
    let list: Value = app
        .get(&seller, "/api/v1/customers/?q=50%25_")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["count"], 1);

    let id = c["id"].as_i64().unwrap();
    let path = format!("/api/v1/customers/{id}/");
    let updated: Value = app
        .send(
            Method::PUT,
            &admin,
            &path,
            &json!({"name": "Tienda Nueva", "phone": "300"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updated["version"], 2);
    assert_eq!(
        app.send(Method::PUT, &seller, &path, &json!({"name": "x"}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.send(Method::DELETE, &admin, &path, &json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let after: Value = app.get(&admin, &path).await.json().await.unwrap();
    assert_eq!(after["active"], false);
    assert_eq!(
        app.get(&admin, "/api/v1/customers/99999/").await.status(),
        StatusCode::NOT_FOUND
    );
    let empty_name = app
        .post(&admin, "/api/v1/customers/", &json!({"name": ""}))
        .await;
    assert_eq!(empty_name.status(), StatusCode::BAD_REQUEST);
    assert_eq!(empty_name.json::<Value>().await.unwrap()["field"], "name");
}

async fn products_and_pagination(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let page: Value = app
        .get(&admin, "/api/v1/products/?limit=5&offset=5")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["count"], 30);
    assert_eq!(page["limit"], 5);
    assert_eq!(page["results"].as_array().unwrap().len(), 5);
    let clamped: Value = app
        .get(&admin, "/api/v1/products/?limit=1000")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(clamped["limit"], 200);
    assert_eq!(
        app.get(&admin, "/api/v1/products/?limit=0").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(&admin, "/api/v1/products/?offset=-1")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );

    let p = json!({"sku": "ARE-10", "name": "Duplicada", "unit_price": "1"});
    let dup = app.post(&admin, "/api/v1/products/", &p).await;
    assert_eq!(dup.status(), StatusCode::BAD_REQUEST);
    assert_eq!(dup.json::<Value>().await.unwrap()["field"], "sku");
    let bad_price = app
        .post(
            &admin,
            "/api/v1/products/",
            &json!({"sku": "X1", "name": "X", "unit_price": "1.999"}),
        )
        .await;
    assert_eq!(bad_price.status(), StatusCode::BAD_REQUEST);
    let created: Value = app
        .post(
            &admin,
            "/api/v1/products/",
            &json!({"sku": "X2", "name": "Pan x2", "unit_price": 2500, "tax_percentage": "19"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(created["unit_price"], "2500.00");
    assert_eq!(created["tax_percentage"], "19");
}

async fn changes_feed_follows_a_server_cursor(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let seller = app.login("ana", None).await;
    let full: Value = app
        .get(&seller, "/api/v1/catalog/changes/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["customers"].as_array().unwrap().len(), 20);
    assert_eq!(full["products"].as_array().unwrap().len(), 30);
    assert_eq!(full["has_more"], false);
    let cursor = full["cursor"].as_str().unwrap().to_owned();

    let none: Value = app
        .get(&seller, &format!("/api/v1/catalog/changes/?since={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(none["customers"].as_array().unwrap().is_empty());
    assert_eq!(none["cursor"], cursor.as_str());

    app.send(Method::DELETE, &admin, "/api/v1/products/3/", &json!({}))
        .await;
    app.post(&admin, "/api/v1/customers/", &json!({"name": "Nuevo"}))
        .await;
    let delta: Value = app
        .get(&seller, &format!("/api/v1/catalog/changes/?since={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(delta["products"].as_array().unwrap().len(), 1);
    assert_eq!(delta["products"][0]["id"], 3);
    assert_eq!(delta["products"][0]["active"], false);
    assert_eq!(delta["customers"][0]["name"], "Nuevo");
    assert_ne!(delta["cursor"], cursor.as_str());
    assert_eq!(
        app.get(&seller, "/api/v1/catalog/changes/?since=bogus")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

both_backends!(
    customers_crud_and_search,
    products_and_pagination,
    changes_feed_follows_a_server_cursor
);
