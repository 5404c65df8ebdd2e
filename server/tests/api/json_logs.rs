//! `RUTA_LOG_FORMAT=json`: the server's stdout is one JSON object a line.
use crate::helpers::*;
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn json_log_format_writes_json_objects_on_stdout() {
    let db = TestDb::new(Backend::Sqlite).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("serve")
        .env("RUTA_DATABASE_URL", &db.url)
        .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
        .env("RUTA_LOG_FORMAT", "json")
        .env("RUTA_LOG", "info,sqlx=warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let listening = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let v: Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            assert!(v.is_object(), "{line}");
            assert!(v["level"].is_string(), "{line}");
            assert!(v["fields"].is_object(), "{line}");
            assert!(v["fields"]["message"].is_string(), "{line}");
            let done = v["fields"]["message"] == "Ruta listening";
            seen.push(v);
            if done {
                return true;
            }
        }
        false
    })
    .await
    .expect("the server logs that it listens within a minute");
    assert!(listening, "stdout ended early: {seen:?}");
    let last = seen.last().unwrap();
    assert_eq!(last["level"], "INFO");
    assert_eq!(last["fields"]["port"], port);
    child.kill().await.unwrap();
}
