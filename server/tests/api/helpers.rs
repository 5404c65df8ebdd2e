use reqwest::{Client, Response, StatusCode};
use ruta_server::config::{Config, DatabaseUrl, RateLimit, WebhookConfig};
use ruta_server::services::demo;
use ruta_server::Application;
use serde_json::{json, Value};
use std::future::Future;
use std::time::{Duration, Instant};

pub use ruta_server::db::Backend;

/// Generates one `#[tokio::test]` per backend for each listed test fn.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            )*
        }
    };
}

pub fn pg_admin_url() -> String {
    std::env::var("RUTA_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh database that is removed when dropped.
pub struct TestDb {
    pub url: String,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres(String),
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        let name = format!("ruta_test_{}", uuid::Uuid::new_v4().simple());
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                Self {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Some(Cleanup::File(path)),
                }
            }
            Backend::Postgres => {
                sqlx::any::install_default_drivers();
                let admin = pg_admin_url();
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .expect("PostgreSQL must answer at RUTA_TEST_PG_URL (make test starts it)");
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                Self {
                    url: format!("{base}/{name}"),
                    cleanup: Some(Cleanup::Postgres(name)),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.cleanup.take() {
            Some(Cleanup::File(path)) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Some(Cleanup::Postgres(name)) => {
                // Drop runs outside any runtime we may block: use a thread.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async {
                        if let Ok(mut conn) =
                            <sqlx::AnyConnection as sqlx::Connection>::connect(&pg_admin_url())
                                .await
                        {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::Executor::execute(&mut conn, sql.as_str()).await;
                        }
                    });
                })
                .join();
            }
            None => {}
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub db: ruta_server::db::Db,
    _test_db: TestDb,
    _server: tokio::task::JoinHandle<()>,
}

pub struct Options {
    pub sync_rate: RateLimit,
    pub webhooks: WebhookConfig,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            sync_rate: RateLimit::Off,
            // Webhook retries in tenths of a second, not tens of seconds.
            webhooks: WebhookConfig {
                backoff_base: Duration::from_millis(100),
                backoff_cap: Duration::from_secs(1),
                timeout: Duration::from_secs(5),
                // The suite's receivers listen on 127.0.0.1.
                allow_private: true,
                ..WebhookConfig::default()
            },
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

pub async fn spawn_app_with(backend: Backend, options: Options) -> TestApp {
    if std::env::var("RUTA_TEST_LOG").is_ok() {
        ruta_server::telemetry::init(None, ruta_server::telemetry::LogFormat::Text);
    }
    let test_db = TestDb::new(backend).await;
    let config = Config {
        database_url: DatabaseUrl::new(test_db.url.clone()),
        sync_rate: options.sync_rate,
        webhooks: options.webhooks,
        // Presence changes within a test's deadlines, not every 10 s.
        presence_every: Duration::from_millis(300),
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = Application::build(config, listener).await.unwrap();
    let port = app.port();
    let db = app.state().db.clone();
    demo::load(&db).await.unwrap();
    let server = tokio::spawn(async move {
        let _ = app.run_until(std::future::pending()).await;
    });
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        client: Client::new(),
        db,
        _test_db: test_db,
        _server: server,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Starts another server instance (with its own background workers) on
    /// this app's database, as a scale-out deployment runs; it lives until
    /// the test's runtime ends. Returns its base URL.
    pub async fn second_instance(&self, options: Options) -> String {
        let config = Config {
            database_url: DatabaseUrl::new(self._test_db.url.clone()),
            sync_rate: options.sync_rate,
            webhooks: options.webhooks,
            ..Config::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let app = Application::build(config, listener).await.unwrap();
        let port = app.port();
        tokio::spawn(async move {
            let _ = app.run_until(std::future::pending()).await;
        });
        format!("http://127.0.0.1:{port}")
    }

    pub async fn login(&self, username: &str, device: Option<&str>) -> String {
        self.login_with(username, demo::DEMO_PASSWORD, device).await
    }

    pub async fn login_with(&self, username: &str, password: &str, device: Option<&str>) -> String {
        let r = self
            .client
            .post(self.url("/api/v1/auth/token/"))
            .json(&json!({"username": username, "password": password, "device_id": device}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header("Authorization", format!("Token {token}"))
            .send()
            .await
            .unwrap()
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: &Value,
    ) -> Response {
        self.client
            .request(method, self.url(path))
            .header("Authorization", format!("Token {token}"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Response {
        self.send(reqwest::Method::POST, token, path, body).await
    }

    /// Uploads and returns (status, body).
    pub async fn upload(&self, token: &str, sales: Vec<Value>) -> (StatusCode, Value) {
        let r = self
            .post(
                token,
                "/api/v1/sales/sync/upload/",
                &json!({ "sales": sales }),
            )
            .await;
        let status = r.status();
        (status, r.json().await.unwrap())
    }

    pub async fn sale_count(&self) -> i64 {
        let admin = self.login("admin", None).await;
        let body: Value = self
            .get(&admin, "/api/v1/sales/?limit=1")
            .await
            .json()
            .await
            .unwrap();
        body["count"].as_i64().unwrap()
    }
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A valid sale (customer 5, one line of product 10).
pub fn sale(local_id: &str) -> Value {
    json!({
        "local_id": local_id,
        "customer_id": 5,
        "status": "draft",
        "device_id": "ANDROID-SM-A14-K3J9X2",
        "payment_method": "cash",
        "created_at": "2026-02-16T10:30:00Z",
        "items": [{"product_id": 10, "quantity": "5.000", "unit_price": "25.50",
                   "discount_type": "none", "discount_value": "0", "tax_percentage": "21"}],
        "returns": [{"product_id": 12, "quantity": "2", "reason": "expired"}],
        "notes": "Cliente VIP - pedido urgente",
        "version": 1
    })
}

/// Polls `check` until it yields `Some`, or fails after `deadline`.
pub async fn eventually<T, F, Fut>(deadline: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            start.elapsed() < deadline,
            "condition not met within {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
