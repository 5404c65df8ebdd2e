//! Security headers on a page, an API answer, an error and /sw.js; the
//! page's CSP nonce is the one on its inline scripts; HSTS and `Secure`
//! cookies only for secure requests (a trusted proxy's
//! `X-Forwarded-Proto: https`); plain HTTP is redirected with 308 when a
//! trusted proxy says `http`.
use crate::helpers::*;
use reqwest::header::HeaderMap;
use reqwest::{redirect, Client, StatusCode};
use ruta_server::config::{Config, DatabaseUrl, RateLimit};
use ruta_server::Application;
use serde_json::json;

async fn server(trusted: &str) -> (String, TestDb) {
    let db = TestDb::new(Backend::Sqlite).await;
    let config = Config {
        database_url: DatabaseUrl::new(db.url.clone()),
        sync_rate: RateLimit::Off,
        trusted_proxies: vec![trusted.parse().unwrap()],
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = Application::build(config, listener).await.unwrap();
    let port = app.port();
    ruta_server::services::demo::load(&app.state().db)
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = app.run_until(std::future::pending()).await;
    });
    (format!("http://127.0.0.1:{port}"), db)
}

fn assert_common(h: &HeaderMap, what: &str) -> String {
    let csp = h["content-security-policy"].to_str().unwrap().to_owned();
    for part in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert!(!csp.contains("'unsafe-inline'; ") || csp.contains("style-src-attr"));
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    assert_eq!(
        h["referrer-policy"], "strict-origin-when-cross-origin",
        "{what}"
    );
    csp
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_answer_carries_the_security_headers() {
    // 10.0.0.0/8 is not this test's address: no proxy is trusted here.
    let (base, _db) = server("10.0.0.0/8").await;
    let c = Client::new();
    for (path, status) in [
        ("/login", StatusCode::OK),
        ("/api/v1/openapi.json", StatusCode::OK),
        ("/api/v1/auth/me/", StatusCode::UNAUTHORIZED),
        ("/api/v1/no-such-thing/", StatusCode::NOT_FOUND),
        ("/sw.js", StatusCode::OK),
    ] {
        let r = c.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
        assert_common(r.headers(), path);
        assert!(
            r.headers().get("strict-transport-security").is_none(),
            "{path}"
        );
    }
    // The page's inline scripts carry the nonce its policy names.
    let r = c.get(format!("{base}/login")).send().await.unwrap();
    let csp = assert_common(r.headers(), "page");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    let html = r.text().await.unwrap();
    let inline = html.matches("<script").count() - html.matches("<script src=").count();
    assert!(inline > 0, "{html}");
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        inline,
        "{html}"
    );
    // A new nonce per request.
    let again = c.get(format!("{base}/login")).send().await.unwrap();
    assert!(!again.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains(&nonce));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_trusted_proxy_decides_https() {
    let (base, _db) = server("127.0.0.1/32").await;
    let c = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let login = |proto: &'static str| {
        c.post(format!("{base}/api/v1/auth/token/"))
            .header("X-Forwarded-Proto", proto)
            .json(&json!({"username": "ana", "password": "ruta2026"}))
            .send()
    };
    let secure = login("https").await.unwrap();
    assert_eq!(secure.status(), StatusCode::OK);
    assert_eq!(
        secure.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let cookie = secure.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("ruta_session=") && cookie.ends_with("; Secure"),
        "{cookie}"
    );

    // The proxy says plain HTTP: pages and API answer 308 to https.
    for (method, path) in [("GET", "/ventas"), ("POST", "/api/v1/auth/token/")] {
        let r = c
            .request(method.parse().unwrap(), format!("{base}{path}"))
            .header("X-Forwarded-Proto", "http")
            .header("X-Forwarded-Host", "ruta.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT, "{path}");
        assert_eq!(
            r.headers()["location"],
            format!("https://ruta.example{path}")
        );
        assert_common(r.headers(), path);
    }
    // /health answers on plain HTTP (probes).
    let health = c
        .get(format!("{base}/health"))
        .header("X-Forwarded-Proto", "http")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_untrusted_peer_cannot_claim_https() {
    let (base, _db) = server("10.0.0.0/8").await;
    let r = Client::new()
        .post(format!("{base}/api/v1/auth/token/"))
        .header("X-Forwarded-Proto", "https")
        .json(&json!({"username": "ana", "password": "ruta2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("strict-transport-security").is_none());
    assert!(!r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
}
