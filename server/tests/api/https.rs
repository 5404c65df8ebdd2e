//! `ruta serve` with HTTPS (a test CA made with the `openssl` command):
//! answers over TLS with HSTS, the redirect listener sends plain HTTP to
//! HTTPS (and still answers /health), the certificate is reloaded when its
//! files change (a bad pair keeps the old one), and a WebSocket token in a
//! URL never reaches the debug-level logs.
use crate::helpers::*;
use crate::serve_child::{free_port, load_demo, ServeChild};
use reqwest::{redirect, Certificate, Client, StatusCode};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, and a leaf for localhost signed by it, as `<name>.pem`/`<name>.key`.
fn make_ca(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Ruta test CA",
        ],
    );
}

fn make_leaf(dir: &Path, name: &str) {
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .unwrap();
    let key = format!("{name}.key");
    let csr = format!("{name}.csr");
    let pem = format!("{name}.pem");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &csr,
            "-subj",
            "/CN=localhost",
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &pem,
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

fn der(dir: &Path, name: &str) -> Vec<u8> {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(["x509", "-in", &format!("{name}.pem"), "-outform", "der"])
        .output()
        .unwrap();
    out.stdout
}

/// The certificate a new client is shown (a new client: a resumed TLS
/// session would report the certificate of the session it resumes).
async fn served_cert(ca: &Certificate, base: &str) -> Option<Vec<u8>> {
    let client = Client::builder()
        .add_root_certificate(ca.clone())
        .tls_info(true)
        .build()
        .ok()?;
    let r = client.get(format!("{base}/health")).send().await.ok()?;
    let info = r.extensions().get::<reqwest::tls::TlsInfo>()?;
    info.peer_certificate().map(<[u8]>::to_vec)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn https_with_redirect_reload_and_no_token_in_logs() {
    let dir = std::env::temp_dir().join(format!("ruta-tls-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    make_ca(&dir);
    make_leaf(&dir, "one");
    make_leaf(&dir, "two");
    std::fs::copy(dir.join("one.pem"), dir.join("cert.pem")).unwrap();
    std::fs::copy(dir.join("one.key"), dir.join("key.pem")).unwrap();

    let db = TestDb::new(Backend::Sqlite).await;
    load_demo(&db.url).await;
    let redirect_port = free_port();
    let server = ServeChild::start(
        &db.url,
        &[
            ("RUTA_TLS_CERT", dir.join("cert.pem").display().to_string()),
            ("RUTA_TLS_KEY", dir.join("key.pem").display().to_string()),
            (
                "RUTA_HTTP_REDIRECT_ADDR",
                format!("127.0.0.1:{redirect_port}"),
            ),
            ("RUTA_LOG", "debug".into()),
        ],
    )
    .await;
    let ca = Certificate::from_pem(&std::fs::read(dir.join("ca.pem")).unwrap()).unwrap();
    let client = Client::builder()
        .add_root_certificate(ca.clone())
        .tls_info(true)
        // A new connection (and handshake) per request: a reused one would
        // keep showing the certificate it was opened with.
        .pool_max_idle_per_host(0)
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("https://localhost:{}", server.port);
    server.wait_ready(&client, &base).await;

    let r = client.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
    assert!(r.headers().contains_key("content-security-policy"));

    // Plain HTTP on the main port is not served.
    let plain = Client::new()
        .get(format!("http://127.0.0.1:{}/health", server.port))
        .send()
        .await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());

    // The redirect listener.
    let http = format!("http://localhost:{redirect_port}");
    let r = client
        .get(format!("{http}/ventas?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers()["location"], format!("{base}/ventas?x=1"));
    let r = client.get(format!("{http}/health")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // A WebSocket token in the URL, at debug level.
    let secret = "SECRETTOKEN0123456789";
    let r = client
        .get(format!("{base}/ws/sync/status/?token={secret}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());

    // Reload: a broken pair keeps the old certificate; a good one replaces it.
    assert_eq!(served_cert(&ca, &base).await.unwrap(), der(&dir, "one"));
    std::fs::write(dir.join("cert.pem"), "not a certificate").unwrap();
    eventually(Duration::from_secs(15), || async {
        server
            .logs()
            .contains("TLS certificate not reloaded")
            .then_some(())
    })
    .await;
    assert_eq!(served_cert(&ca, &base).await.unwrap(), der(&dir, "one"));
    std::fs::copy(dir.join("two.key"), dir.join("key.pem")).unwrap();
    std::fs::copy(dir.join("two.pem"), dir.join("cert.pem")).unwrap();
    let two = der(&dir, "two");
    let start = std::time::Instant::now();
    while served_cert(&ca, &base).await.as_ref() != Some(&two) {
        let tls_lines: Vec<String> = server
            .logs()
            .lines()
            .filter(|l| l.contains("ruta_server::tls"))
            .map(str::to_owned)
            .collect();
        assert!(start.elapsed() < Duration::from_secs(15), "{tls_lines:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let logs = server.logs();
    assert!(logs.contains("\"route\""), "no request logged: {logs}");
    assert!(
        !logs.contains(secret),
        "the WebSocket token reached the logs"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
