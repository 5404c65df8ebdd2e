use crate::both_backends;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn malformed_requests_get_contract_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let url = app.url("/api/v1/sales/sync/upload/");
    let auth = format!("Token {token}");

    let r = app
        .client
        .post(&url)
        .header("Authorization", &auth)
        .header("content-type", "application/json")
        .body("{\"sales\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().starts_with("JSON inválido"));
    assert!(body.get("field").is_some());

    let r = app
        .client
        .post(&url)
        .header("Authorization", &auth)
        .header("content-type", "text/plain")
        .body("hola")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.json::<Value>().await.unwrap()["detail"].is_string());

    // Announce 6 MB and send none of it: the answer must come from the
    // headers alone (a client cut off mid-upload would race the reply).
    let (status, body) = oversized_upload(&app, &token).await;
    assert_eq!(status, 413);
    assert!(body.contains("\"detail\""), "{body}");

    let r = app
        .client
        .get(app.url("/api/v1/sales/sync/upload/"))
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.json::<Value>().await.unwrap()["detail"].is_string());

    let r = app
        .post(
            &token,
            "/api/v1/sales/sync/upload/",
            &json!({"sales": "many"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["field"], "sales");
}

async fn oversized_upload(app: &TestApp, token: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/sales/sync/upload/ HTTP/1.1\r\nHost: x\r\nAuthorization: Token {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        6 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut reply),
    )
    .await;
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

async fn hostile_values_are_refused_per_sale_and_nothing_is_lost(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let keep = new_id();
    app.upload(&token, vec![sale(&keep)]).await;
    let cases: Vec<(Value, &str)> = vec![
        (json!("-1"), "Item #0: quantity debe ser mayor a 0"),
        (json!("0"), "Item #0: quantity debe ser mayor a 0"),
        (json!("NaN"), "Item #0: quantity debe ser mayor a 0"),
        (json!("abc"), "Item #0: quantity debe ser mayor a 0"),
        (json!(""), "Item #0: quantity debe ser mayor a 0"),
        (json!("Infinity"), "Item #0: quantity debe ser mayor a 0"),
        (json!("1,5"), "Item #0: quantity debe ser mayor a 0"),
        (json!(null), "Item #0: quantity debe ser mayor a 0"),
        (
            json!("1e3"),
            "Item #0: quantity inválido: notación exponencial no permitida",
        ),
        (
            json!("1234567890123456789012345678901234567890"),
            "Item #0: quantity debe ser mayor a 0",
        ),
        (
            json!("1.0001"),
            "Item #0: quantity inválido: máximo 3 decimales",
        ),
        (json!(true), "Item #0: quantity debe ser mayor a 0"),
    ];
    for (quantity, expected) in cases {
        let mut s = sale(&new_id());
        s["items"][0]["quantity"] = quantity.clone();
        let (_, body) = app.upload(&token, vec![s]).await;
        assert_eq!(body["results"][0]["error"], expected, "quantity {quantity}");
    }
    let mut long_notes = sale(&new_id());
    long_notes["notes"] = json!("ñ".repeat(2001));
    let (_, body) = app.upload(&token, vec![long_notes]).await;
    assert_eq!(
        body["results"][0]["error"],
        "Campo notes inválido: máximo 2000 caracteres"
    );

    let sql = "Robert'); DROP TABLE sales;-- \u{0}";
    let mut sneaky = sale(&new_id());
    sneaky["notes"] = json!(sql);
    sneaky["unknown_field"] = json!({"nested": [1, 2, 3]});
    let (_, body) = app.upload(&token, vec![sneaky]).await;
    assert_eq!(body["results"][0]["status"], "success");
    let id = body["results"][0]["sale_id"].as_i64().unwrap();
    let detail: Value = app
        .get(&token, &format!("/api/v1/sales/{id}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["notes"], sql, "stored verbatim");

    // The first sale is untouched by all of the above.
    let (_, body) = app.upload(&token, vec![sale(&keep)]).await;
    assert_eq!(body["results"][0]["duplicate"], true);
    let health: Value = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["db"], "ok");
}

both_backends!(
    malformed_requests_get_contract_errors,
    hostile_values_are_refused_per_sale_and_nothing_is_lost
);
