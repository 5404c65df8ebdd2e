//! The `ruta` command line: user creation from stdin, and JSON log files.
use crate::both_backends;
use crate::helpers::*;
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

async fn user_add_reads_the_password_from_stdin(backend: Backend) {
    let db = TestDb::new(backend).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .args([
            "user",
            "add",
            "maria",
            "--role",
            "seller",
            "--seller-code",
            "ID7",
        ])
        .env("RUTA_DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"clave-segura\n")
        .await
        .unwrap();
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success());
    let user: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(user["username"], "maria");
    assert_eq!(user["role"], "seller");
    assert_eq!(user["seller_code"], "ID7");

    // The same name again fails with a clear message and a non-zero exit.
    let mut again = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .args(["user", "add", "maria", "--role", "admin"])
        .env("RUTA_DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    again
        .stdin
        .take()
        .unwrap()
        .write_all(b"otra-clave\n")
        .await
        .unwrap();
    let out = again.wait_with_output().await.unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("username ya existe"));
}

both_backends!(user_add_reads_the_password_from_stdin);

#[tokio::test]
async fn serve_writes_json_log_lines_to_the_log_dir() {
    let db = TestDb::new(Backend::Sqlite).await;
    let dir = std::env::temp_dir().join(format!("ruta-logs-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("serve")
        .env("RUTA_DATABASE_URL", &db.url)
        .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
        .env("RUTA_LOG_DIR", &dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/health");
    eventually(Duration::from_secs(30), || async {
        client
            .get(&url)
            .header("x-request-id", "trace-me-42")
            .send()
            .await
            .ok()?
            .status()
            .is_success()
            .then_some(())
    })
    .await;
    let file = dir.join("ruta.log");
    let line: Value = eventually(Duration::from_secs(10), || async {
        let text = std::fs::read_to_string(&file).ok()?;
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v["span"]["request_id"] == "trace-me-42")
    })
    .await;
    assert_eq!(line["span"]["route"], "/health");
    assert_eq!(line["fields"]["status"], 200);
    child.kill().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
