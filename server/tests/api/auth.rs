use crate::both_backends;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn login_issues_token_and_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "ana", "password": "ruta2026", "device_id": "ANDROID-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["user"]["username"], "ana");
    assert_eq!(body["user"]["role"], "seller");
    assert_eq!(body["user"]["seller_code"], "ID1");
    assert!(body["token"].as_str().unwrap().len() >= 32);

    let bad = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "ana", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    let unknown = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "nadie", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert!(unknown.json::<Value>().await.unwrap()["detail"].is_string());
}

async fn tokens_are_checked_and_revocable(backend: Backend) {
    let app = spawn_app(backend).await;
    let no_token = app
        .client
        .get(app.url("/api/v1/products/"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    assert!(no_token.headers().contains_key("x-request-id"));
    assert_eq!(
        app.get("garbage", "/api/v1/products/").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let token = app.login("ana", Some("PHONE-A")).await;
    let bearer = app
        .client
        .get(app.url("/api/v1/auth/me/"))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::OK);

    // One token per (user, device): logging in again revokes the old one.
    let second = app.login("ana", Some("PHONE-A")).await;
    assert_eq!(
        app.get(&token, "/api/v1/auth/me/").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&second, "/api/v1/auth/me/").await.status(),
        StatusCode::OK
    );

    let out = app.post(&second, "/api/v1/auth/logout/", &json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&second, "/api/v1/auth/me/").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn roles_are_enforced(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app.login("ana", None).await;
    let dispatcher = app.login("despacho", None).await;
    let admin = app.login("admin", None).await;
    let product = json!({"sku": "NEW-1", "name": "Producto nuevo", "unit_price": "100"});
    assert_eq!(
        app.post(&seller, "/api/v1/products/", &product)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&admin, "/api/v1/products/", &product)
            .await
            .status(),
        StatusCode::CREATED
    );
    let upload = json!({"sales": [sale(&new_id())]});
    assert_eq!(
        app.post(&dispatcher, "/api/v1/sales/sync/upload/", &upload)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    for path in [
        "/api/v1/sync/log/",
        "/api/v1/users/",
        "/api/v1/sync/log/verify/",
    ] {
        assert_eq!(
            app.get(&seller, path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            app.get(&admin, path).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }
    // Everyone reads the catalog.
    for token in [&seller, &dispatcher, &admin] {
        assert_eq!(
            app.get(token, "/api/v1/customers/").await.status(),
            StatusCode::OK
        );
    }
}

async fn admin_creates_users(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let r = app
        .post(&admin, "/api/v1/users/", &json!({"username": "dora", "password": "secreto1", "role": "seller", "seller_code": "ID9"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let user: Value = r.json().await.unwrap();
    assert_eq!(user["seller_code"], "ID9");
    let dup = app
        .post(
            &admin,
            "/api/v1/users/",
            &json!({"username": "dora", "password": "secreto1", "role": "admin"}),
        )
        .await;
    assert_eq!(dup.status(), StatusCode::BAD_REQUEST);
    assert_eq!(dup.json::<Value>().await.unwrap()["field"], "username");
    let no_code = app
        .post(
            &admin,
            "/api/v1/users/",
            &json!({"username": "eva", "password": "secreto1", "role": "seller"}),
        )
        .await;
    assert_eq!(no_code.status(), StatusCode::BAD_REQUEST);
    let bad_role = app
        .post(
            &admin,
            "/api/v1/users/",
            &json!({"username": "eva", "password": "secreto1", "role": "king"}),
        )
        .await;
    assert_eq!(bad_role.status(), StatusCode::BAD_REQUEST);
    // The new user can log in.
    let login = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "dora", "password": "secreto1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
}

async fn failed_logins_are_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    for _ in 0..10 {
        let r = app
            .client
            .post(app.url("/api/v1/auth/token/"))
            .json(&json!({"username": "beto", "password": "nope"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "beto", "password": "ruta2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
}

/// One address trying many usernames is refused after 100 failures
/// (services::login_guard), though no single pair reached its 10.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_address_guessing_many_names_is_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let guess = |username: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/token/"))
                .json(&json!({"username": username, "password": "nope"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for i in 0..100 {
        assert_eq!(
            guess(format!("nadie{i}")).await,
            StatusCode::UNAUTHORIZED,
            "guess {i}"
        );
    }
    assert_eq!(
        guess("nadie-mas".into()).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The right password from that address waits too; the throttle is the
    // address's, not the user's.
    let r = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "ana", "password": "ruta2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
}

async fn health_and_openapi_need_no_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let h: Value = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h, json!({"status": "ok", "db": "ok"}));
    let spec: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"]["/api/v1/sales/sync/upload/"]["post"].is_object());
}

both_backends!(
    login_issues_token_and_user,
    tokens_are_checked_and_revocable,
    roles_are_enforced,
    admin_creates_users,
    failed_logins_are_limited,
    health_and_openapi_need_no_token,
);
