use crate::both_backends;
use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::Value;
use std::collections::HashSet;

/// The numeric part of `VTA-<year>-<n>`.
pub fn number_suffix(number: &str) -> i64 {
    number.rsplit('-').next().unwrap().parse().unwrap()
}

/// Asserts the numbers are exactly 1..=n.
pub fn assert_gapless(numbers: &[String]) {
    let mut ns: Vec<i64> = numbers.iter().map(|n| number_suffix(n)).collect();
    ns.sort_unstable();
    let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
    assert_eq!(ns, expected, "numbers must be unique and gapless");
}

async fn twenty_simultaneous_uploads_of_one_sale_store_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let id = new_id();
    let uploads = (0..20).map(|_| app.upload(&token, vec![sale(&id)]));
    let results = join_all(uploads).await;
    let mut sale_ids = HashSet::new();
    let mut fresh = 0;
    for (status, body) in &results {
        assert_eq!(status.as_u16(), 200);
        let r = &body["results"][0];
        assert_eq!(r["status"], "success", "{r}");
        sale_ids.insert(r["sale_id"].as_i64().unwrap());
        if r.get("duplicate").is_none() {
            fresh += 1;
        }
    }
    assert_eq!(sale_ids.len(), 1);
    assert_eq!(fresh, 1, "exactly one upload created it");
    assert_eq!(app.sale_count().await, 1);
}

async fn ten_devices_get_unique_gapless_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let devices = (0..10).map(|d| {
        let token = token.clone();
        let app = &app;
        async move {
            let sales: Vec<Value> = (0..20)
                .map(|_| {
                    let mut s = sale(&new_id());
                    s["device_id"] = format!("DEVICE-{d}").into();
                    s
                })
                .collect();
            app.upload(&token, sales).await
        }
    });
    let mut numbers = Vec::new();
    for (status, body) in join_all(devices).await {
        assert_eq!(status.as_u16(), 200);
        assert_eq!(body["summary"]["successful"], 20);
        for r in body["results"].as_array().unwrap() {
            numbers.push(r["sale_number"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(numbers.len(), 200);
    assert_gapless(&numbers);
    assert_eq!(app.sale_count().await, 200);
}

/// Concurrent batches that each carry new sales, one sale shared by all
/// of them and one bad sale: the new sales are stored together (and on
/// SQLite several uploads in one transaction), so the shared one makes
/// those writes fall back. Every sale must still end exactly once, the
/// bad ones as errors, numbers gapless, results in request order, and the
/// log chain intact.
async fn mixed_concurrent_batches_keep_every_guarantee(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let shared = new_id();
    let uploads = (0..10).map(|_| {
        let token = token.clone();
        let shared = shared.clone();
        let app = &app;
        async move {
            let mut bad = sale(&new_id());
            bad["customer_id"] = 999_999.into();
            let mut sales: Vec<Value> = (0..4).map(|_| sale(&new_id())).collect();
            sales.insert(2, sale(&shared));
            sales.push(bad);
            let sent: Vec<String> = sales
                .iter()
                .map(|s| s["local_id"].as_str().unwrap().to_owned())
                .collect();
            (sent, app.upload(&token, sales).await)
        }
    });
    let mut numbers = Vec::new();
    let mut shared_created = 0;
    for (sent, (status, body)) in join_all(uploads).await {
        assert_eq!(status.as_u16(), 200);
        let results = body["results"].as_array().unwrap();
        let order: Vec<&str> = results
            .iter()
            .map(|r| r["local_id"].as_str().unwrap())
            .collect();
        assert_eq!(order, sent, "results keep the request order");
        for (i, r) in results.iter().enumerate() {
            match i {
                5 => assert_eq!(r["status"], "error", "{r}"),
                _ => assert_eq!(r["status"], "success", "{r}"),
            }
            if i == 2 && r.get("duplicate").is_none() {
                shared_created += 1;
            }
            if i != 5 && r.get("duplicate").is_none() {
                numbers.push(r["sale_number"].as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(
        shared_created, 1,
        "exactly one upload created the shared sale"
    );
    assert_eq!(numbers.len(), 41);
    assert_gapless(&numbers);
    // 40 new + 1 shared + 10 stored errors.
    assert_eq!(app.sale_count().await, 51);
    let admin = app.login("admin", None).await;
    let verify: Value = app
        .get(&admin, "/api/v1/sync/log/verify/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verify["ok"], true, "{verify}");
}

both_backends!(
    twenty_simultaneous_uploads_of_one_sale_store_one,
    ten_devices_get_unique_gapless_numbers,
    mixed_concurrent_batches_keep_every_guarantee
);
