use crate::both_backends;
use crate::helpers::*;
use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

pub const DATE: &str = "2026-02-16";

pub async fn plan(app: &TestApp, token: &str, seller: &str) -> reqwest::Response {
    let lines = json!({"lines": [{"product_id": 1, "quantity": "40"}, {"product_id": 2, "quantity": "12"}]});
    app.send(
        Method::PUT,
        token,
        &format!("/api/v1/cargue/{seller}/?date={DATE}"),
        &lines,
    )
    .await
}

pub async fn tick(app: &TestApp, token: &str, seller: &str, body: Value) -> reqwest::Response {
    app.post(token, &format!("/api/v1/cargue/{seller}/check/"), &body)
        .await
}

async fn sheets_follow_the_role_rules(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ana, beto) = (app.login("ana", None).await, app.login("beto", None).await);
    let (despacho, admin) = (
        app.login("despacho", None).await,
        app.login("admin", None).await,
    );
    let path = format!("/api/v1/cargue/ID1/?date={DATE}");

    let sellers: Value = app
        .get(&despacho, "/api/v1/sellers/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sellers[0], json!({"seller_code": "ID1", "username": "ana"}));
    assert_eq!(sellers.as_array().unwrap().len(), 3);
    assert_eq!(
        app.get(&ana, "/api/v1/sellers/").await.status(),
        StatusCode::FORBIDDEN
    );

    let empty: Value = app.get(&ana, &path).await.json().await.unwrap();
    assert_eq!(
        empty,
        json!({"seller_code": "ID1", "date": DATE, "day": "LUNES", "closed": false, "seq": 0, "lines": []})
    );
    assert_eq!(app.get(&beto, &path).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&despacho, &path).await.status(), StatusCode::OK);
    assert_eq!(
        app.get(&admin, "/api/v1/cargue/NOPE/").await.status(),
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        plan(&app, &ana, "ID1").await.status(),
        StatusCode::FORBIDDEN
    );
    let sheet: Value = plan(&app, &despacho, "ID1").await.json().await.unwrap();
    assert_eq!(sheet["lines"][0]["product"], "Arepa de maíz x10");
    assert_eq!(sheet["lines"][0]["quantity"], "40.000");
    assert_eq!(sheet["lines"][0]["version"], 1);
    assert_eq!(sheet["seq"], 1);

    let v = json!({"date": DATE, "product_id": 1, "v": true});
    let d = json!({"date": DATE, "product_id": 1, "d": true});
    assert_eq!(
        tick(&app, &ana, "ID1", d.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        tick(&app, &beto, "ID1", v.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        tick(&app, &despacho, "ID1", v.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let line: Value = tick(&app, &ana, "ID1", v.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            line["v"].clone(),
            line["d"].clone(),
            line["version"].clone()
        ),
        (json!(true), json!(false), json!(2))
    );
    let same: Value = tick(&app, &ana, "ID1", v.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(same["version"], 2, "same value: no change");
    let line: Value = tick(&app, &despacho, "ID1", d.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (line["d"].clone(), line["version"].clone()),
        (json!(true), json!(3))
    );
    let both: Value = tick(
        &app,
        &admin,
        "ID1",
        json!({"date": DATE, "product_id": 2, "v": true, "d": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(both["version"], 2);
    let missing = tick(
        &app,
        &ana,
        "ID1",
        json!({"date": DATE, "product_id": 30, "v": true}),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // Replanning keeps the checks of unchanged lines.
    let sheet: Value = plan(&app, &despacho, "ID1").await.json().await.unwrap();
    assert_eq!(sheet["lines"][0]["v"], true);
    assert_eq!(sheet["lines"][0]["version"], 3);

    let close = app
        .post(&ana, "/api/v1/cargue/ID1/close/", &json!({"date": DATE}))
        .await;
    assert_eq!(close.status(), StatusCode::FORBIDDEN);
    let closed: Value = app
        .post(
            &despacho,
            "/api/v1/cargue/ID1/close/",
            &json!({"date": DATE}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["closed"], true);
    let v_off = json!({"date": DATE, "product_id": 1, "v": false});
    assert_eq!(
        tick(&app, &ana, "ID1", v_off).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        plan(&app, &despacho, "ID1").await.status(),
        StatusCode::CONFLICT
    );
    let again = app
        .post(
            &despacho,
            "/api/v1/cargue/ID1/close/",
            &json!({"date": DATE}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let log: Value = app
        .get(&admin, "/api/v1/sync/log/?action=close_shift")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["results"].as_array().unwrap().len(), 1);
    let updates: Value = app
        .get(&admin, "/api/v1/sync/log/?action=update_cargue")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        updates["results"].as_array().unwrap().len(),
        5,
        "2 plans + 3 changing ticks"
    );
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(base: &str, path: &str) -> Result<Socket, u16> {
    let url = format!("{}{path}", base.replace("http://", "ws://"));
    match tokio_tungstenite::connect_async(url).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Err(r.status().as_u16()),
        Err(e) => panic!("websocket: {e}"),
    }
}

pub async fn next_json(socket: &mut Socket) -> Value {
    let deadline = Duration::from_secs(10);
    loop {
        let msg = tokio::time::timeout(deadline, socket.next())
            .await
            .expect("no message within the deadline")
            .expect("stream ended")
            .expect("websocket error");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

async fn websocket_auth_live_ticks_and_replay(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ana, beto, despacho) = (
        app.login("ana", None).await,
        app.login("beto", None).await,
        app.login("despacho", None).await,
    );
    assert_eq!(connect(&app.base, "/ws/cargue/ID1/").await.err(), Some(401));
    assert_eq!(
        connect(&app.base, "/ws/cargue/ID1/?token=bogus")
            .await
            .err(),
        Some(401)
    );
    assert_eq!(
        connect(&app.base, &format!("/ws/cargue/ID1/?token={beto}"))
            .await
            .err(),
        Some(403)
    );
    assert_eq!(
        connect(&app.base, &format!("/ws/sync/queue/?token={despacho}"))
            .await
            .err(),
        Some(403)
    );

    plan(&app, &despacho, "ID1").await;
    let mut watcher = connect(&app.base, &format!("/ws/cargue/ID1/?token={despacho}"))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut watcher).await,
        json!({"type": "hello", "seq": 1})
    );
    tick(
        &app,
        &ana,
        "ID1",
        json!({"date": DATE, "product_id": 1, "v": true}),
    )
    .await;
    let e = next_json(&mut watcher).await;
    assert_eq!(e["type"], "check_update");
    assert_eq!(e["seq"], 2);
    assert_eq!(e["seller_code"], "ID1");
    assert_eq!(e["product_id"], 1);
    assert_eq!(e["product"], "Arepa de maíz x10");
    assert_eq!(
        (e["v"].clone(), e["d"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(e["day"], "LUNES");
    assert_eq!(e["date"], DATE);
    assert_eq!(e["version"], 2);
    assert!(e["ts"].as_str().unwrap().ends_with('Z'));

    // Drop the connection while ticks happen; reconnect with ?after=.
    watcher.close(None).await.unwrap();
    for product in [1, 2] {
        tick(
            &app,
            &despacho,
            "ID1",
            json!({"date": DATE, "product_id": product, "d": true}),
        )
        .await;
    }
    let mut back = connect(
        &app.base,
        &format!("/ws/cargue/ID1/?token={despacho}&after=2"),
    )
    .await
    .unwrap();
    assert_eq!(
        next_json(&mut back).await,
        json!({"type": "hello", "seq": 4})
    );
    let missed: Vec<Value> = vec![next_json(&mut back).await, next_json(&mut back).await];
    assert_eq!(
        missed
            .iter()
            .map(|e| e["seq"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![3, 4]
    );
    tick(
        &app,
        &ana,
        "ID1",
        json!({"date": DATE, "product_id": 2, "v": true}),
    )
    .await;
    assert_eq!(next_json(&mut back).await["seq"], 5, "then live");

    // The seller's own stream, by session cookie.
    let url = format!("{}/ws/cargue/ID1/", app.base.replace("http://", "ws://"));
    let mut req =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)
            .unwrap();
    req.headers_mut()
        .insert("Cookie", format!("ruta_session={ana}").parse().unwrap());
    let (mut by_cookie, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(next_json(&mut by_cookie).await["type"], "hello");
    by_cookie.send(Message::Close(None)).await.unwrap();
}

/// Reads until an event matches, within the deadline of `next_json`.
async fn next_matching(socket: &mut Socket, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let e = next_json(socket).await;
        if wanted(&e) {
            return e;
        }
    }
}

async fn admin_channels_carry_sync_events(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let mut status = connect(&app.base, &format!("/ws/sync/status/?token={admin}"))
        .await
        .unwrap();
    assert_eq!(next_json(&mut status).await["type"], "hello");
    let ana = app.login("ana", Some("tablet-presence")).await;
    let of_tablet = |kind: &'static str| {
        move |e: &Value| e["type"] == kind && e["device_id"] == "tablet-presence"
    };
    let online = next_matching(&mut status, of_tablet("device_online")).await;
    assert_eq!(online["seller_code"], "ID1");
    let mut queue = connect(&app.base, &format!("/ws/sync/queue/?token={admin}"))
        .await
        .unwrap();
    let mut conflicts = connect(&app.base, &format!("/ws/sync/conflicts/?token={admin}"))
        .await
        .unwrap();
    assert_eq!(next_json(&mut queue).await["type"], "hello");
    assert_eq!(next_json(&mut conflicts).await["type"], "hello");
    let id = new_id();
    app.upload(&ana, vec![sale(&id)]).await;
    let e = next_json(&mut queue).await;
    assert_eq!(e["type"], "sale_synced");
    assert_eq!(e["local_id"], id.as_str());
    let mut edit = sale(&id);
    edit["notes"] = json!("v2");
    app.upload(&ana, vec![edit]).await;
    let mut stale = sale(&id);
    stale["notes"] = json!("otra");
    app.upload(&ana, vec![stale]).await;
    let c = next_json(&mut conflicts).await;
    assert_eq!(c["type"], "conflict_detected");
    assert_eq!(c["local_id"], id.as_str());

    // The status stream: the upload's device, the queue's depth (one
    // conflict open, then one error), and the device going offline when
    // its token has not been used for the online window.
    let synced = next_matching(&mut status, |e| e["type"] == "device_synced").await;
    assert_eq!(synced["device_id"], "ANDROID-SM-A14-K3J9X2");
    next_matching(&mut status, |e| {
        e["type"] == "queue_depth" && e["conflict"] == 1
    })
    .await;
    let mut bad = sale(&new_id());
    bad["customer_id"] = json!(999);
    app.upload(&ana, vec![bad]).await;
    let depth = next_matching(&mut status, |e| {
        e["type"] == "queue_depth" && e["error"] == 1
    })
    .await;
    assert_eq!(depth["conflict"], 1);
    let an_hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE device_id = $2")
        .bind(an_hour_ago)
        .bind("tablet-presence")
        .execute(app.db.write())
        .await
        .unwrap();
    next_matching(&mut status, of_tablet("device_offline")).await;
}

async fn a_revoked_token_is_refused_and_a_stalled_subscriber_holds_up_no_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let (ana, despacho) = (
        app.login("ana", None).await,
        app.login("despacho", None).await,
    );
    let revoked = app.login("ana", Some("phone-lost")).await;
    let logout = app.post(&revoked, "/api/v1/auth/logout/", &json!({})).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        connect(&app.base, &format!("/ws/cargue/ID1/?token={revoked}"))
            .await
            .err(),
        Some(401)
    );

    plan(&app, &despacho, "ID1").await;
    // Connected but never read from: its server task must not hold up the hub.
    let _stalled = connect(&app.base, &format!("/ws/cargue/ID1/?token={ana}"))
        .await
        .unwrap();
    let mut reader = connect(&app.base, &format!("/ws/cargue/ID1/?token={despacho}"))
        .await
        .unwrap();
    assert_eq!(next_json(&mut reader).await["type"], "hello");
    let ticks = 40;
    for i in 0..ticks {
        let body = json!({"date": DATE, "product_id": 1 + i % 2, "d": i % 4 < 2});
        assert_eq!(
            tick(&app, &despacho, "ID1", body).await.status(),
            StatusCode::OK
        );
    }
    let mut seqs = Vec::new();
    for _ in 0..ticks {
        seqs.push(next_json(&mut reader).await["seq"].as_i64().unwrap());
    }
    assert_eq!(
        seqs,
        (2..2 + ticks).collect::<Vec<_>>(),
        "all, in order, once"
    );
}

both_backends!(
    sheets_follow_the_role_rules,
    websocket_auth_live_ticks_and_replay,
    admin_channels_carry_sync_events,
    a_revoked_token_is_refused_and_a_stalled_subscriber_holds_up_no_one
);
