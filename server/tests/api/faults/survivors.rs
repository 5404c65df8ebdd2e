//! Three `ruta serve` processes on one PostgreSQL, one killed mid-load:
//! the others go on serving uploads, the dead one's phone fails over to a
//! survivor, and a cargue subscriber of the dead instance reconnects to
//! another with `?after=<last seq>` and misses no event.
use super::*;
use crate::cargue::{connect, next_json, DATE};
use crate::helpers::{Backend, TestDb};

async fn check(client: &Client, base: &str, token: &str, product: i64, v: bool) {
    let r = client
        .post(format!("{base}/api/v1/cargue/ID1/check/"))
        .header("Authorization", format!("Token {token}"))
        .json(&json!({"date": DATE, "product_id": product, "v": v}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "check through {base}");
}

fn acked(ledger: &Arc<Mutex<Ledger>>) -> usize {
    ledger.lock().unwrap().acked.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn survivors_serve_and_a_subscriber_fails_over_without_a_gap() {
    let db = TestDb::new(Backend::Postgres).await;
    demo(&db.url).await;
    let mut a = Server::start(&db.url).await;
    let b = Server::start(&db.url).await;
    let c = Server::start(&db.url).await;
    let client = http_client();
    let dispatcher = login(&client, &b.base, "despacho").await;
    let seller = login(&client, &b.base, "ana").await;
    let r = client
        .put(format!("{}/api/v1/cargue/ID1/?date={DATE}", b.base))
        .header("Authorization", format!("Token {dispatcher}"))
        .json(&json!({"lines": [{"product_id": 1, "quantity": "40"}, {"product_id": 2, "quantity": "12"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let load = Load::start(&[b.base.clone(), c.base.clone()], 4, 3).await;
    let mut on_a = Phone::new(&a.base, "ana", load.ledger.clone()).await;
    on_a.new_batch(3);
    on_a.drain(&a.base, Duration::from_secs(10)).await;

    // A subscriber on A sees two ticks made through A.
    let path = format!("/ws/cargue/ID1/?token={dispatcher}");
    let mut socket = connect(&a.base, &path).await.unwrap();
    let hello = next_json(&mut socket).await;
    assert_eq!(hello["type"], "hello", "{hello}");
    let mut last = hello["seq"].as_i64().unwrap();
    for (product, v) in [(1, true), (2, true)] {
        check(&client, &a.base, &seller, product, v).await;
        let event = next_json(&mut socket).await;
        assert_eq!(event["seq"].as_i64(), Some(last + 1), "{event}");
        last += 1;
    }

    // A dies mid-load; its phone has sales it could not send.
    on_a.new_batch(3);
    a.kill9().await;
    assert_eq!(on_a.send_one(&a.base).await, None, "A is gone");
    let before = acked(&load.ledger);
    eventually(Duration::from_secs(10), || async {
        (acked(&load.ledger) >= before + 30).then_some(())
    })
    .await;
    // Ticks during the outage, through a survivor.
    let during = [(1, false), (2, false), (1, true), (2, true), (1, false)];
    for (product, v) in during {
        check(&client, &b.base, &seller, product, v).await;
    }
    // The phone fails over: the same batch, to another instance.
    on_a.drain(&b.base, Duration::from_secs(10)).await;

    // The subscriber reconnects to C from its last seq: every missed
    // event, in order, then live ones.
    drop(socket);
    let mut socket = connect(&c.base, &format!("{path}&after={last}"))
        .await
        .unwrap();
    let hello = next_json(&mut socket).await;
    assert_eq!(hello["type"], "hello", "{hello}");
    let latest = hello["seq"].as_i64().unwrap();
    assert_eq!(latest, last + during.len() as i64, "{hello}");
    for (product, v) in during {
        let event = next_json(&mut socket).await;
        assert_eq!(event["seq"].as_i64(), Some(last + 1), "no gap: {event}");
        assert_eq!(event["product_id"], product, "{event}");
        assert_eq!(event["v"], v, "{event}");
        last += 1;
    }
    check(&client, &b.base, &seller, 2, false).await;
    let live = next_json(&mut socket).await;
    assert_eq!(live["seq"].as_i64(), Some(last + 1), "{live}");

    let ledger = load.finish().await;
    let (sent, stored) = assert_ledger_matches(&db.url, &b.base, &ledger).await;
    b.assert_no_panic();
    c.assert_no_panic();
    println!("faults: 3 instances, one killed: {sent} sales sent, {stored} stored");
}
