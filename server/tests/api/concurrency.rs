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

both_backends!(
    twenty_simultaneous_uploads_of_one_sale_store_one,
    ten_devices_get_unique_gapless_numbers
);
