//! The seed system's own test plan, run against the real server.
use crate::both_backends;
use crate::helpers::*;
use futures_util::future::join;
use serde_json::{json, Value};

async fn one_device_sale_is_created_with_a_long_id_and_logged(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", Some("ANDROID-SM-A14-K3J9X2")).await;
    let id = new_id();
    let (_, body) = app.upload(&token, vec![sale(&id)]).await;
    assert_eq!(body["results"][0]["status"], "success");
    assert_eq!(id.len(), 36);
    let admin = app.login("admin", None).await;
    let log: Value = app
        .get(&admin, "/api/v1/sync/log/?action=create_sale")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["results"][0]["local_id"], id.as_str());
}

async fn two_devices_offline_three_sales_each_give_six(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.login("ana", Some("PHONE-A")).await;
    let b = app.login("ana", Some("TABLET-B")).await;
    let batch = |device: &str| -> Vec<Value> {
        (0..3)
            .map(|_| {
                let mut s = sale(&new_id());
                s["device_id"] = json!(device);
                s
            })
            .collect()
    };
    let (batch_a, batch_b) = (batch("PHONE-A"), batch("TABLET-B"));
    let ((_, ra), (_, rb)) = join(
        app.upload(&a, batch_a.clone()),
        app.upload(&b, batch_b.clone()),
    )
    .await;
    assert_eq!(ra["summary"]["successful"], 3);
    assert_eq!(rb["summary"]["successful"], 3);
    // Both devices retry everything: still six.
    app.upload(&a, batch_a).await;
    app.upload(&b, batch_b).await;
    assert_eq!(app.sale_count().await, 6);
}

async fn two_devices_sending_the_same_sale_at_once_store_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.login("ana", Some("PHONE-A")).await;
    let b = app.login("ana", Some("TABLET-B")).await;
    let id = new_id();
    let ((_, ra), (_, rb)) = join(
        app.upload(&a, vec![sale(&id)]),
        app.upload(&b, vec![sale(&id)]),
    )
    .await;
    assert_eq!(ra["results"][0]["status"], "success");
    assert_eq!(rb["results"][0]["status"], "success");
    assert_eq!(ra["results"][0]["sale_id"], rb["results"][0]["sale_id"]);
    assert_eq!(app.sale_count().await, 1);
}

async fn same_customer_two_different_sales_give_two(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.login("ana", None).await;
    let (_, body) = app
        .upload(&token, vec![sale(&new_id()), sale(&new_id())])
        .await;
    assert_eq!(body["summary"]["successful"], 2);
    assert_ne!(
        body["results"][0]["sale_number"],
        body["results"][1]["sale_number"]
    );
    assert_eq!(app.sale_count().await, 2);
}

both_backends!(
    one_device_sale_is_created_with_a_long_id_and_logged,
    two_devices_offline_three_sales_each_give_six,
    two_devices_sending_the_same_sale_at_once_store_one,
    same_customer_two_different_sales_give_two,
);
