//! The deployment kit's nginx site file (deploy/nginx/ruta-multi.conf) in
//! front of two `ruta serve` processes on one PostgreSQL database, TLS at
//! nginx and plain HTTP behind it, as docs/deploy.md sets it up. Login, an
//! upload, a cargue check and two WebSockets all go over https through the
//! proxy; the sync log must record the client's own address, which only
//! nginx sees (ruta sees nginx, 127.0.0.1, a trusted proxy).
//!
//! Skipped, with a message, only when nginx or openssl is not installed
//! (`make tools` installs Debian's nginx).
use crate::cargue::DATE;
use crate::helpers::*;
use futures_util::StreamExt;
use reqwest::{Certificate, Client, StatusCode};
use serde_json::{json, Value};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{pem::PemObject, CertificateDer, ServerName};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

const HOST: &str = "ruta.example.com";
/// The client's source address (all of 127/8 is loopback): nginx sees it as
/// `$remote_addr`, ruta sees only nginx's 127.0.0.1.
const CLIENT_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 5);
/// What a client claims in its own `X-Forwarded-For`; must not be believed.
const FORGED: &str = "198.51.100.9";

type Wss = WebSocketStream<TlsStream<TcpStream>>;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `name` on PATH or in the sbin folders (nginx is /usr/sbin/nginx, which a
/// non-root PATH may lack).
fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Replaces `from` (which must occur `times` times: the test breaks loudly
/// when the shipped file changes shape instead of testing something else).
fn swap(text: String, from: &str, to: &str, times: usize) -> String {
    assert_eq!(
        text.matches(from).count(),
        times,
        "deploy/nginx/ruta-multi.conf: expected {from:?} {times}×"
    );
    text.replace(from, to)
}

/// The shipped site file with only what differs on a test machine changed:
/// loopback ports instead of 80/443, the two test instances' ports, the
/// self-signed certificate's folder instead of certbot's.
fn site_config(dir: &Path, http: u16, https: u16, upstreams: [u16; 2]) -> String {
    let shipped = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/nginx/ruta-multi.conf"
    );
    let text = std::fs::read_to_string(shipped).unwrap();
    let d = dir.display();
    let text = swap(
        text,
        "    listen 80;\n",
        &format!("    listen 127.0.0.1:{http};\n"),
        1,
    );
    let text = swap(text, "    listen [::]:80;\n", "", 1);
    let https_listen = format!("    listen 127.0.0.1:{https} ssl http2;\n");
    let text = swap(text, "    listen 443 ssl http2;\n", &https_listen, 1);
    let text = swap(text, "    listen [::]:443 ssl http2;\n", "", 1);
    let a = format!("server 127.0.0.1:{} ", upstreams[0]);
    let text = swap(text, "server 127.0.0.1:3000 ", &a, 1);
    let b = format!("server 127.0.0.1:{} ", upstreams[1]);
    let text = swap(text, "server 127.0.0.1:3001 ", &b, 1);
    let certs = format!("{d}/");
    let text = swap(text, "/etc/letsencrypt/live/ruta.example.com/", &certs, 2);
    let text = swap(text, "/var/www/letsencrypt", &format!("{d}/acme"), 1);
    swap(text, "/var/log/nginx/", &format!("{d}/"), 2)
}

/// nginx as an ordinary process: one process (`master_process off`, so
/// killing it on drop leaves no workers behind), everything in `dir`.
fn main_config(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/body;\n  \
         proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  \
         uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {d}/ruta.conf;\n}}\n"
    )
}

async fn start_ruta(db_url: &str) -> (u16, Child) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("serve")
        .env("RUTA_DATABASE_URL", db_url)
        .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
        .env("RUTA_TRUSTED_PROXIES", "127.0.0.1")
        .env("RUTA_SYNC_RATE", "off")
        .env("RUTA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = Client::new();
    eventually(Duration::from_secs(30), || async {
        let r = client
            .get(format!("http://127.0.0.1:{port}/health"))
            .send()
            .await
            .ok()?;
        r.status().is_success().then_some(())
    })
    .await;
    (port, child)
}

/// A `wss://` connection to nginx from `CLIENT_IP`, trusting only the test
/// certificate.
async fn wss(https: u16, path: &str, cert_pem: &[u8]) -> Wss {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(cert_pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(CLIENT_IP.into(), 0)).unwrap();
    let tcp = socket
        .connect(SocketAddr::from(([127, 0, 0, 1], https)))
        .await
        .unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from(HOST).unwrap(), tcp)
        .await
        .unwrap();
    let url = format!("wss://{HOST}:{https}{path}");
    tokio_tungstenite::client_async(url, tls).await.unwrap().0
}

async fn next_event(socket: &mut Wss) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("no WebSocket message through nginx within 10 s")
            .expect("stream ended")
            .expect("websocket error");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

struct Proxy {
    base: String,
    https: u16,
    http: u16,
    cert: Vec<u8>,
    client: Client,
    _nginx: Child,
}

impl Proxy {
    async fn login(&self, user: &str) -> String {
        let r = self
            .client
            .post(format!("{}/api/v1/auth/token/", self.base))
            .header("X-Forwarded-For", FORGED)
            .json(&json!({"username": user, "password": "ruta2026", "device_id": "DEV-NGINX"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {user} through nginx");
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn call(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("Token {token}"))
            .header("X-Forwarded-For", FORGED);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }
}

async fn start_nginx(nginx: &Path, dir: &Path, upstreams: [u16; 2]) -> Proxy {
    let (http, https) = (free_port(), free_port());
    let ok = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "2", "-subj", &format!("/CN={HOST}")])
        .args(["-addext", &format!("subjectAltName=DNS:{HOST}")])
        // A leaf, not openssl's default CA:TRUE: rustls refuses a CA
        // certificate as the server's own (CaUsedAsEndEntity).
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(dir.join("privkey.pem"))
        .arg("-out")
        .arg(dir.join("fullchain.pem"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success(), "openssl req");
    std::fs::write(
        dir.join("ruta.conf"),
        site_config(dir, http, https, upstreams),
    )
    .unwrap();
    std::fs::write(dir.join("nginx.conf"), main_config(dir)).unwrap();
    let child = Command::new(nginx)
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let cert = std::fs::read(dir.join("fullchain.pem")).unwrap();
    let client = Client::builder()
        .add_root_certificate(Certificate::from_pem(&cert).unwrap())
        .resolve(HOST, SocketAddr::from(([127, 0, 0, 1], https)))
        .local_address(IpAddr::V4(CLIENT_IP))
        .build()
        .unwrap();
    let base = format!("https://{HOST}:{https}");
    let health = format!("{base}/health");
    let log = dir.join("error.log");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let last = match client.get(&health).send().await {
            Ok(r) if r.status().is_success() => break,
            Ok(r) => format!("{}", r.status()),
            Err(e) => format!("{e:?}"),
        };
        let errors = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            !errors.contains("[emerg]") && std::time::Instant::now() < deadline,
            "nginx does not answer {health}: {last}; error.log: {errors}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Proxy {
        base,
        https,
        http,
        cert,
        client,
        _nginx: child,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn https_through_nginx_to_two_instances_on_postgres() {
    let (Some(nginx), Some(_)) = (find_tool("nginx"), find_tool("openssl")) else {
        println!("SKIPPED behind_nginx: nginx or openssl not installed (make tools installs them)");
        return;
    };
    let db = TestDb::new(Backend::Postgres).await;
    let demo = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("demo")
        .env("RUTA_DATABASE_URL", &db.url)
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(demo.success());
    let ((a, _a), (b, _b)) = (start_ruta(&db.url).await, start_ruta(&db.url).await);
    let dir =
        TempDir(std::env::temp_dir().join(format!("ruta-nginx-{}", uuid::Uuid::new_v4().simple())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let proxy = start_nginx(&nginx, &dir.0, [a, b]).await;

    // Plain HTTP only redirects, to the same path on https.
    let plain = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = plain
        .get(format!("http://127.0.0.1:{}/ventas?x=1", proxy.http))
        .header("Host", HOST)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        r.headers()["location"],
        format!("https://{HOST}/ventas?x=1")
    );

    // Login and an upload over https, each carrying a forged X-Forwarded-For.
    let ana = proxy.login("ana").await;
    let local_id = new_id();
    let up = proxy
        .call(
            reqwest::Method::POST,
            &ana,
            "/api/v1/sales/sync/upload/",
            Some(json!({"sales": [sale(&local_id)]})),
        )
        .await;
    assert_eq!(up.status(), StatusCode::OK);
    let hsts: Vec<_> = up
        .headers()
        .get_all("strict-transport-security")
        .iter()
        .collect();
    assert_eq!(hsts, ["max-age=31536000"], "one HSTS header, from ruta");
    let up: Value = up.json().await.unwrap();
    assert_eq!(up["results"][0]["status"], "success", "{up}");

    // The body limit: nginx passes what ruta accepts (here a 4.5 MiB body
    // that ruta itself answers, in JSON) and refuses past 5 MiB.
    let big = format!("{{\"sales\": [], \"pad\": \"{}\"}}", "x".repeat(4_500_000));
    let r = proxy
        .client
        .post(format!("{}/api/v1/sales/sync/upload/", proxy.base))
        .header("Authorization", format!("Token {ana}"))
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let answer: Value = r.json().await.expect("ruta's own JSON answer");
    assert!(answer.is_object(), "{answer}");
    let r = proxy
        .client
        .post(format!("{}/api/v1/sales/sync/upload/", proxy.base))
        .header("Authorization", format!("Token {ana}"))
        .header("Content-Type", "application/json")
        .body(vec![b' '; 6 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Two subscribers through the balancer (least_conn spreads them), a
    // check made through it: every subscriber sees the event, whichever
    // instance it and the check landed on.
    let despacho = proxy.login("despacho").await;
    let plan = proxy
        .call(
            reqwest::Method::PUT,
            &despacho,
            &format!("/api/v1/cargue/ID1/?date={DATE}"),
            Some(json!({"lines": [{"product_id": 1, "quantity": "40"}]})),
        )
        .await;
    assert_eq!(plan.status(), StatusCode::OK);
    let path = format!("/ws/cargue/ID1/?token={despacho}");
    let mut sockets = [
        wss(proxy.https, &path, &proxy.cert).await,
        wss(proxy.https, &path, &proxy.cert).await,
    ];
    for socket in &mut sockets {
        assert_eq!(next_event(socket).await, json!({"type": "hello", "seq": 1}));
    }
    let check = proxy
        .call(
            reqwest::Method::POST,
            &ana,
            "/api/v1/cargue/ID1/check/",
            Some(json!({"date": DATE, "product_id": 1, "v": true})),
        )
        .await;
    assert_eq!(check.status(), StatusCode::OK);
    for socket in &mut sockets {
        let event = next_event(socket).await;
        assert_eq!(event["type"], "check_update", "{event}");
        assert_eq!(event["seq"], 2);
        assert_eq!(event["v"], true);
    }

    // The sync log: the client's address as nginx saw it, never the forged one.
    let admin = proxy.login("admin").await;
    let log: Value = proxy
        .call(
            reqwest::Method::GET,
            &admin,
            "/api/v1/sync/log/?action=create_sale",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let rows = log["results"].as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| r["local_id"] == local_id.as_str())
        .unwrap_or_else(|| panic!("no create_sale row for {local_id}: {log}"));
    assert_eq!(row["ip"], CLIENT_IP.to_string(), "{row}");
    let logins: Value = proxy
        .call(
            reqwest::Method::GET,
            &admin,
            "/api/v1/sync/log/?action=login",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let logins = logins["results"].as_array().unwrap();
    assert!(!logins.is_empty());
    for row in logins.iter().chain(rows) {
        assert_eq!(row["ip"], CLIENT_IP.to_string(), "{row}");
    }

    // nginx logs a WebSocket request when it ends: close both, then the
    // access log has their lines and not their token.
    drop(sockets);
    let access_log = dir.0.join("access.log");
    let access = eventually(Duration::from_secs(10), || async {
        let text = std::fs::read_to_string(&access_log).ok()?;
        (text.matches("GET /ws/cargue/ID1/ ").count() == 2).then_some(text)
    })
    .await;
    assert!(
        !access.contains(despacho.as_str()),
        "token in the access log: {access}"
    );
}
