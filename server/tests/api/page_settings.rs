//! Every page carries the server settings its browser half reads: the
//! business's time zone (admin times) and the age at which the phone warns
//! of unsynced sales, as `<meta>` tags, on routed pages and on the 404.
use crate::helpers::*;
use ruta_server::config::{Config, DatabaseUrl, RateLimit};
use ruta_server::Application;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_carry_the_time_zone_and_the_unsynced_warning_age() {
    let db = TestDb::new(Backend::Sqlite).await;
    let config = Config {
        database_url: DatabaseUrl::new(db.url.clone()),
        sync_rate: RateLimit::Off,
        timezone: "America/Bogota".parse().unwrap(),
        unsynced_warn_after: Duration::from_secs(90 * 60),
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = Application::build(config, listener).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(async move {
        let _ = app.run_until(std::future::pending()).await;
    });
    for path in ["/login", "/admin", "/ventas", "/no-such-page"] {
        let html = reqwest::get(format!("{base}{path}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(r#"<meta name="ruta-timezone" content="America/Bogota">"#)
                || html.contains(r#"<meta name="ruta-timezone" content="America/Bogota"/>"#),
            "{path}: {html}"
        );
        assert!(
            html.contains(r#"name="ruta-unsynced-warn-after" content="5400""#),
            "{path}"
        );
    }
}

/// Pages are rendered in the user's language: the `ruta_lang` cookie the
/// language switch sets, else Spanish (the browser's own language does not
/// change Ruta's default); `<html lang>` says which.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_are_rendered_in_the_language_the_request_asks_for() {
    let app = spawn_app(Backend::Sqlite).await;
    let client = reqwest::Client::new();
    let login = |headers: &[(&str, &str)]| {
        let mut request = client.get(app.url("/login"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let spanish = login(&[]).await;
    assert!(spanish.contains(r#"<html lang="es""#), "{spanish}");
    assert!(spanish.contains("Iniciar sesión"));
    let english_browser = login(&[("accept-language", "en-US,en;q=0.9")]).await;
    assert!(english_browser.contains(r#"<html lang="es""#));
    let chosen = login(&[("accept-language", "es-CO"), ("cookie", "ruta_lang=en")]).await;
    assert!(chosen.contains(r#"<html lang="en""#), "{chosen}");
    assert!(chosen.contains("Sign in") && !chosen.contains("Iniciar sesión"));
}
