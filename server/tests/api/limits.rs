//! The API's limits at their edges (docs/api.md, "Limits"): each one is
//! probed at the limit (accepted) and one past it (refused in the
//! contract's shape), plus inputs built to break parsers: deep nesting,
//! huge numbers, long URLs, bytes that are not UTF-8, wrong media types.
use crate::both_backends;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MAX_BODY: usize = 5 * 1024 * 1024;
const UPLOAD: &str = "/api/v1/sales/sync/upload/";

/// POSTs raw bytes with a content type; returns (status, body as JSON,
/// or `Value::Null` when the body is not JSON).
async fn post_raw(
    app: &TestApp,
    token: &str,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .post(app.url(path))
        .header("Authorization", format!("Token {token}"))
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The contract's 400 shape: `{"error": "…", "field": "…"}`.
fn assert_field_error(status: StatusCode, body: &Value, what: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert!(body["error"].is_string(), "{what}: {body}");
    assert!(body.get("field").is_some(), "{what}: {body}");
}

fn assert_detail(status: StatusCode, expected: StatusCode, body: &Value, what: &str) {
    assert_eq!(status, expected, "{what}: {body}");
    assert!(body["detail"].is_string(), "{what}: {body}");
}

/// An upload of one valid sale padded with spaces to exactly `len` bytes.
fn padded_upload(len: usize) -> Vec<u8> {
    let head = json!({ "sales": [sale(&new_id())] }).to_string();
    let mut body = head.as_bytes()[..head.len() - 1].to_vec();
    body.resize(len - 1, b' ');
    body.push(b'}');
    body
}

async fn body_of_exactly_5_mb_is_read_and_one_byte_more_is_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let body = padded_upload(MAX_BODY);
    assert_eq!(body.len(), MAX_BODY);
    let (status, reply) = post_raw(&app, &token, UPLOAD, Some("application/json"), body).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["results"][0]["status"], "success");

    // One byte more, announced: refused from the headers, before the body
    // is read (so the reply is read first; writing the body would race
    // the server's close).
    let (status, text) = raw_upload(&app, &token, MAX_BODY + 1, false).await;
    assert_eq!(
        status,
        413,
        "{}",
        text.chars().take(300).collect::<String>()
    );
    assert!(text.contains("\"detail\""));

    // Without a Content-Length (chunked), the limit holds while reading.
    let (status, text) = raw_upload(&app, &token, MAX_BODY + 1, true).await;
    assert_eq!(
        status,
        413,
        "{}",
        text.chars().take(300).collect::<String>()
    );
    assert!(text.contains("\"detail\""));
}

/// Sends an upload of `len` bytes over a raw socket: announced with
/// `Content-Length` (and no body sent), or chunked (all of it sent);
/// returns the status and the raw reply.
async fn raw_upload(app: &TestApp, token: &str, len: usize, chunked: bool) -> (u16, String) {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {len}")
    };
    let head = format!(
        "POST {UPLOAD} HTTP/1.1\r\nHost: x\r\nAuthorization: Token {token}\r\n\
         Content-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let body = if chunked {
        padded_upload(len)
    } else {
        Vec::new()
    };
    // The server may answer and close before the last chunk: a write
    // error then is the expected outcome, not a failure.
    for chunk in body.chunks(64 * 1024) {
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.to_vec(),
            b"\r\n".to_vec(),
        ]
        .concat();
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n").await;
    }
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut reply)).await;
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

async fn batch_of_500_sales_is_accepted_and_501_is_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let before = app.sale_count().await;
    let sales: Vec<Value> = (0..500).map(|_| sale(&new_id())).collect();
    let (status, body) = app.upload(&token, sales).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["summary"]["successful"], 500, "{}", body["summary"]);
    assert_eq!(app.sale_count().await, before + 500);

    let sales: Vec<Value> = (0..501).map(|_| sale(&new_id())).collect();
    let (status, body) = app.upload(&token, sales).await;
    assert_detail(status, StatusCode::PAYLOAD_TOO_LARGE, &body, "501 sales");
    assert_eq!(app.sale_count().await, before + 500, "nothing of the 501");
}

/// Uploads one sale with `pointer` set to `value`; returns its result row.
async fn one_sale_with(app: &TestApp, token: &str, pointer: &str, value: Value) -> Value {
    let mut s = sale(&new_id());
    *s.pointer_mut(pointer).unwrap() = value;
    let (_, body) = app.upload(token, vec![s]).await;
    body["results"][0].clone()
}

async fn string_limits_count_characters_at_the_edge(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    // Two-byte characters: the limits are in characters, not bytes.
    let cases = [
        (
            "/notes",
            2000,
            "Campo notes inválido: máximo 2000 caracteres",
        ),
        (
            "/device_id",
            100,
            "Campo device_id inválido: máximo 100 caracteres",
        ),
        (
            "/returns/0/reason",
            200,
            "Campo returns[0].reason inválido: máximo 200 caracteres",
        ),
    ];
    for (pointer, limit, error) in cases {
        let ok = one_sale_with(&app, &token, pointer, json!("ñ".repeat(limit))).await;
        assert_eq!(ok["status"], "success", "{pointer} at {limit}: {ok}");
        let over = one_sale_with(&app, &token, pointer, json!("ñ".repeat(limit + 1))).await;
        assert_eq!(over["status"], "error", "{pointer} at {limit} + 1");
        assert_eq!(over["error"], error, "{pointer}");
    }

    // Names of the catalog: 200 characters.
    let admin = app.login("admin", None).await;
    let r = app
        .post(
            &admin,
            "/api/v1/customers/",
            &json!({"name": "ñ".repeat(200)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app
        .post(
            &admin,
            "/api/v1/customers/",
            &json!({"name": "ñ".repeat(201)}),
        )
        .await;
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_field_error(status, &body, "customer name 201");
    assert_eq!(body["field"], "name");

    // device_id at login: 100 characters.
    let login = |device: String| {
        app.client
            .post(app.url("/api/v1/auth/token/"))
            .json(&json!({"username": "ana", "password": "ruta2026", "device_id": device}))
            .send()
    };
    assert_eq!(
        login("d".repeat(100)).await.unwrap().status(),
        StatusCode::OK
    );
    let r = login("d".repeat(101)).await.unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_field_error(status, &body, "login device_id 101");
    assert_eq!(body["field"], "device_id");
}

async fn deep_nesting_is_a_400_not_a_crash(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let admin = app.login("admin", None).await;
    for depth in [129, 10_000, 100_000] {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        let in_a_sale = format!(
            "{{\"sales\": [{{\"local_id\": \"{}\", \"notes\": {arrays}}}]}}",
            new_id()
        );
        for body in [&arrays, &objects, &in_a_sale] {
            let (status, reply) = post_raw(
                &app,
                &token,
                UPLOAD,
                Some("application/json"),
                body.clone().into_bytes(),
            )
            .await;
            assert_field_error(status, &reply, &format!("upload, depth {depth}"));
            // A typed body (the catalog) goes through the same extractor.
            let (status, reply) = post_raw(
                &app,
                &admin,
                "/api/v1/customers/",
                Some("application/json"),
                body.clone().into_bytes(),
            )
            .await;
            assert_field_error(status, &reply, &format!("customer, depth {depth}"));
        }
    }
    // Within the limit, nesting in an unknown field is ignored like any
    // unknown field, and the sale is stored.
    let nested: Value =
        serde_json::from_str(&format!("{}{}", "[".repeat(100), "]".repeat(100))).unwrap();
    let row = one_sale_with(&app, &token, "/version", json!(1)).await;
    assert_eq!(row["status"], "success");
    let mut s = sale(&new_id());
    s["extra"] = nested;
    let (status, body) = app.upload(&token, vec![s]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "success");
    assert_server_alive(&app).await;
}

async fn assert_server_alive(app: &TestApp) {
    let r = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn huge_numbers_are_refused_per_field_or_as_a_400(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let digits = "9".repeat(100_000);
    // A huge literal that JSON parses (as a float) reaches validation and
    // becomes that sale's error; one that overflows f64 is a 400.
    for (pointer, literal) in [
        ("/customer_id", "123456789012345678901234567890".to_owned()),
        ("/version", "1e308".to_owned()),
        ("/items/0/quantity", "1e300".to_owned()),
        ("/items/0/product_id", "-99999999999999999999".to_owned()),
    ] {
        let mut s = sale(&new_id());
        *s.pointer_mut(pointer).unwrap() = json!("__N__");
        let body = json!({ "sales": [s] })
            .to_string()
            .replace("\"__N__\"", &literal);
        let (status, reply) = post_raw(
            &app,
            &token,
            UPLOAD,
            Some("application/json"),
            body.into_bytes(),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{pointer}={literal}: {reply}"
        );
        assert_eq!(reply["results"][0]["status"], "error", "{pointer}: {reply}");
    }
    for literal in [
        digits.clone(),
        "1e400".to_owned(),
        format!("0.{digits}e99999"),
    ] {
        let s = json!({ "sales": [sale(&new_id())] })
            .to_string()
            .replace("\"version\":1", &format!("\"version\":{literal}"));
        let (status, reply) = post_raw(
            &app,
            &token,
            UPLOAD,
            Some("application/json"),
            s.into_bytes(),
        )
        .await;
        assert_field_error(status, &reply, "overflowing literal");
    }
    // A decimal string of 100,000 digits is a per-item error, not a hang.
    let row = one_sale_with(&app, &token, "/items/0/quantity", json!(digits)).await;
    assert_eq!(row["error"], "Item #0: quantity debe ser mayor a 0");
    // Query integers past i64: 400, not 500.
    let r = app
        .get(&token, &format!("/api/v1/sales/?limit={}", "9".repeat(30)))
        .await;
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_field_error(status, &body, "limit past i64");
    // Path ids past i64 or not numbers: the contract's 400 or 404, in JSON.
    for path in [
        format!("/api/v1/sales/{}/", "9".repeat(30)),
        "/api/v1/sales/abc/".to_owned(),
        "/api/v1/customers/-1.5/".to_owned(),
    ] {
        let r = app.get(&token, &path).await;
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND,
            "{path}: {status}"
        );
        assert!(
            body["detail"].is_string() || body["error"].is_string(),
            "{path}: {body}"
        );
    }
}

async fn long_urls_are_refused_without_harm(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("admin", None).await;
    // 32 KB of search text: an ordinary answer (nothing matches).
    let q = "x".repeat(32 * 1024);
    let r = app.get(&token, &format!("/api/v1/customers/?q={q}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["count"], 0);
    // 1 MB: refused by the HTTP layer before any handler, never a 5xx.
    let q = "x".repeat(1024 * 1024);
    let r = app
        .client
        .get(app.url(&format!("/api/v1/customers/?q={q}")))
        .header("Authorization", format!("Token {token}"))
        .send()
        .await;
    // hyper may answer 414/431 or close the connection; either is fine,
    // a 5xx or a dead server is not.
    if let Ok(r) = r {
        assert!(r.status().is_client_error(), "1 MB URL: {}", r.status());
    }
    assert_server_alive(&app).await;
}

async fn bodies_that_are_not_utf8_or_not_json_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let admin = app.login("admin", None).await;
    let mut latin1 = format!(
        "{{\"sales\": [{{\"local_id\": \"{}\", \"notes\": \"",
        new_id()
    )
    .into_bytes();
    latin1.extend_from_slice(b"Pe\xf1a\"}]}");
    for body in [latin1, b"\xff\xfe{}".to_vec(), b"\xc3".to_vec()] {
        let (status, reply) = post_raw(&app, &token, UPLOAD, Some("application/json"), body).await;
        assert_field_error(status, &reply, "not UTF-8");
    }
    // CSV import: not UTF-8 → 400.
    let (status, reply) = post_raw(
        &app,
        &admin,
        "/api/v1/customers/import/",
        Some("text/csv"),
        b"name\nPe\xf1a\n".to_vec(),
    )
    .await;
    assert_field_error(status, &reply, "CSV not UTF-8");

    // Wrong or missing media type → 415 with `detail`; parameters and
    // case of a JSON type are fine.
    let good = json!({ "sales": [sale(&new_id())] })
        .to_string()
        .into_bytes();
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        Some("text/csv"),
    ] {
        let (status, reply) = post_raw(&app, &token, UPLOAD, ct, good.clone()).await;
        assert_detail(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &reply,
            &format!("{ct:?}"),
        );
    }
    let (status, reply) = post_raw(
        &app,
        &token,
        UPLOAD,
        Some("Application/JSON; charset=utf-8"),
        good,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    // JSON sent to the CSV import → 415.
    let (status, reply) = post_raw(
        &app,
        &admin,
        "/api/v1/customers/import/",
        Some("application/json"),
        b"{}".to_vec(),
    )
    .await;
    assert_detail(
        status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        &reply,
        "JSON to CSV",
    );
    // An empty JSON body → 400.
    let (status, reply) =
        post_raw(&app, &token, UPLOAD, Some("application/json"), Vec::new()).await;
    assert_field_error(status, &reply, "empty body");
}

both_backends!(
    body_of_exactly_5_mb_is_read_and_one_byte_more_is_413,
    batch_of_500_sales_is_accepted_and_501_is_413,
    string_limits_count_characters_at_the_edge,
    deep_nesting_is_a_400_not_a_crash,
    huge_numbers_are_refused_per_field_or_as_a_400,
    long_urls_are_refused_without_harm,
    bodies_that_are_not_utf8_or_not_json_are_refused,
);
