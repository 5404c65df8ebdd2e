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
