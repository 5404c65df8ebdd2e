//! The admin dashboard's endpoints: overview, open conflicts, pending
//! filters, the log's CSV export and the catalog CSV imports.
use crate::both_backends;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMIN_GETS: &[&str] = &[
    "/api/v1/admin/overview/",
    "/api/v1/sync/conflicts/",
    "/api/v1/sync/conflicts/1/",
    "/api/v1/sync/log/export.csv",
];
const IMPORTS: &[&str] = &["/api/v1/products/import/", "/api/v1/customers/import/"];

impl TestApp {
    async fn json(&self, token: &str, path: &str) -> Value {
        let r = self.get(token, path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    async fn post_csv(&self, token: &str, path: &str, csv: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("Authorization", format!("Token {token}"))
            .header("Content-Type", "text/csv")
            .body(csv.to_owned())
            .send()
            .await
            .unwrap()
    }
}

async fn admin_only(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ADMIN_GETS {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    for path in IMPORTS {
        let r = app
            .client
            .post(app.url(path))
            .header("Content-Type", "text/csv")
            .body("name\nx\n")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    for user in ["ana", "despacho"] {
        let token = app.login(user, None).await;
        for path in ADMIN_GETS {
            assert_eq!(
                app.get(&token, path).await.status(),
                StatusCode::FORBIDDEN,
                "{user} {path}"
            );
        }
        for path in IMPORTS {
            let r = app.post_csv(&token, path, "name\nx\n").await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{user} {path}");
        }
    }
    // A dispatcher has no pending queue of its own either.
    let despacho = app.login("despacho", None).await;
    assert_eq!(
        app.get(&despacho, "/api/v1/sales/sync/pending/")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

async fn overview_counts_today(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let empty = app.json(&admin, "/api/v1/admin/overview/").await;
    assert_eq!(empty["sales_today"], json!({"count": 0, "amount": "0.00"}));
    assert_eq!(empty["devices_total"], 0, "a web token is not a device");

    let ana = app.login("ana", Some("PHONE-ANA")).await;
    let _beto = app.login("beto", Some("PHONE-BETO")).await;
    let mut fresh = sale(&new_id());
    fresh["device_id"] = json!("PHONE-ANA");
    fresh["created_at"] = json!(chrono::Utc::now().to_rfc3339());
    let mut bad = sale(&new_id());
    bad["customer_id"] = json!(999);
    bad["device_id"] = json!("PHONE-ANA");
    let old = sale(&new_id());
    let (_, body) = app.upload(&ana, vec![fresh, bad, old]).await;
    assert_eq!(body["summary"]["successful"], 2);
    let sale_id = body["results"][0]["sale_id"].as_i64().unwrap();
    let detail = app.json(&ana, &format!("/api/v1/sales/{sale_id}/")).await;
    assert_eq!(detail["total"], "154.28");

    let o = app.json(&admin, "/api/v1/admin/overview/").await;
    let date = o["date"].as_str().unwrap();
    assert_eq!(date.len(), 10);
    assert!(o["generated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(o["sales_today"], json!({"count": 2, "amount": "308.56"}));
    assert_eq!(o["devices_total"], 2);
    assert_eq!(o["devices_online"], 2);
    let devices = o["devices"].as_array().unwrap();
    let ana_device = devices
        .iter()
        .find(|d| d["device_id"] == "PHONE-ANA")
        .unwrap();
    assert_eq!(ana_device["username"], "ana");
    assert_eq!(ana_device["seller_code"], "ID1");
    assert_eq!(ana_device["online"], true);
    assert!(ana_device["last_seen_at"].is_string());
    assert!(ana_device["last_sync_at"].is_string());
    let beto_device = devices
        .iter()
        .find(|d| d["device_id"] == "PHONE-BETO")
        .unwrap();
    assert_eq!(beto_device["last_sync_at"], Value::Null);
    assert_eq!(o["sync"], json!({"pending": 0, "error": 1, "conflict": 0}));
    assert_eq!(o["retry_queue"], 0);
    let hours: Vec<i64> = o["sales_per_hour"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(hours.len(), 24);
    assert_eq!(hours.iter().sum::<i64>(), 2);
    let latency = o["latency"].as_array().unwrap();
    let labels: Vec<&str> = latency
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "< 1 min",
            "1–5 min",
            "5–30 min",
            "30 min–2 h",
            "2–12 h",
            "> 12 h"
        ]
    );
    assert_eq!(latency[0]["count"], 1, "created just now");
    assert_eq!(latency[5]["count"], 1, "created on 2026-02-16");
    // Upload rows by device: PHONE-ANA's two sales, the other one's device.
    let uploads = o["uploads_per_device"].as_array().unwrap();
    assert_eq!(uploads[0]["device_id"], "PHONE-ANA");
    assert_eq!(uploads[0]["uploads"], 2);
    assert_eq!(uploads[0]["seller_code"], "ID1");
    let errors = o["errors_per_day"].as_array().unwrap();
    assert_eq!(errors.len(), 14);
    assert_eq!(errors[13]["date"], date);
    assert_eq!(errors[13]["count"], 1, "the refused sale");
    assert!(errors[0]["date"].as_str().unwrap() < date);

    // Queued for the retry worker counts as pending and in the queue until
    // the worker has run it (it fails again: customer 999).
    let bad_id = body["results"][1]["sale_id"].as_i64().unwrap();
    let r = app
        .post(
            &admin,
            "/api/v1/sales/sync/retry/",
            &json!({"sale_ids": [bad_id]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let o: Value = eventually(std::time::Duration::from_secs(10), || async {
        let o = app.json(&admin, "/api/v1/admin/overview/").await;
        (o["sync"]["error"] == 1 && o["retry_queue"] == 0).then_some(o)
    })
    .await;
    assert_eq!(o["sync"]["pending"], 0);
}

/// A sale in conflict: stored, edited from "the server side", then a
/// stale edit from PHONE-2.
async fn conflicted(app: &TestApp, token: &str) -> i64 {
    let id = new_id();
    let (_, body) = app.upload(token, vec![sale(&id)]).await;
    let sale_id = body["results"][0]["sale_id"].as_i64().unwrap();
    let mut edit = sale(&id);
    edit["notes"] = json!("nota del servidor");
    app.upload(token, vec![edit]).await;
    let mut stale = sale(&id);
    stale["payment_method"] = json!("transfer");
    stale["device_id"] = json!("PHONE-2");
    let (_, body) = app.upload(token, vec![stale]).await;
    assert_eq!(body["results"][0]["status"], "conflict");
    sale_id
}

async fn open_conflicts_are_listed_and_shown(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = app.login("ana", None).await;
    let admin = app.login("admin", None).await;
    let first = conflicted(&app, &ana).await;
    let second = conflicted(&app, &ana).await;

    let list = app.json(&admin, "/api/v1/sync/conflicts/").await;
    assert_eq!(list["count"], 2);
    assert_eq!(list["limit"], 50);
    assert_eq!(list["offset"], 0);
    let rows = list["results"].as_array().unwrap();
    assert_eq!(rows[0]["sale_id"], second, "newest first");
    let row = &rows[1];
    assert_eq!(row["sale_id"], first);
    assert!(row["id"].as_i64().is_some());
    assert!(row["sale_number"].as_str().unwrap().starts_with("VTA-"));
    assert_eq!(row["seller_code"], "ID1");
    assert_eq!(row["device_id"], "PHONE-2");
    assert!(row["customer_name"].is_string());
    assert_eq!(row["fields"], json!(["payment_method", "notes"]));
    assert_eq!(row["server_version"], 2);
    assert_eq!(row["client_version"], 1);
    assert!(row["created_at"].is_string());
    assert!(row["local_id"].is_string());

    let page = app
        .json(&admin, "/api/v1/sync/conflicts/?limit=1&offset=1")
        .await;
    assert_eq!(page["count"], 2);
    assert_eq!(page["results"][0]["sale_id"], first);
    let clamped = app.json(&admin, "/api/v1/sync/conflicts/?limit=999").await;
    assert_eq!(clamped["limit"], 200);
    for bad in ["?limit=0", "?offset=-1", "?limit=x"] {
        let r = app
            .get(&admin, &format!("/api/v1/sync/conflicts/{bad}"))
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }

    let detail = app
        .json(&admin, &format!("/api/v1/sync/conflicts/{first}/"))
        .await;
    assert_eq!(detail["sale_id"], first);
    assert_eq!(detail["id"], row["id"]);
    assert_eq!(detail["fields"], json!(["payment_method", "notes"]));
    assert_eq!(detail["server"]["notes"], "nota del servidor");
    assert_eq!(detail["server"]["payment_method"], "cash");
    assert_eq!(detail["client"]["payment_method"], "transfer");

    // Resolved → gone from the list and 404.
    let r = app
        .post(
            &admin,
            "/api/v1/sales/sync/resolve/",
            &json!({"sale_id": first, "resolution": "server_wins"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let list = app.json(&admin, "/api/v1/sync/conflicts/").await;
    assert_eq!(list["count"], 1);
    let r = app
        .get(&admin, &format!("/api/v1/sync/conflicts/{first}/"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.get(&admin, "/api/v1/sync/conflicts/999999/").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn pending_filters_and_fields(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = app.login("ana", None).await;
    let admin = app.login("admin", None).await;
    let conflict_id = conflicted(&app, &ana).await;
    let mut bad = sale(&new_id());
    bad["customer_id"] = json!(999);
    bad["device_id"] = json!("PHONE-9");
    let (_, body) = app.upload(&ana, vec![bad]).await;
    let error_id = body["results"][0]["sale_id"].as_i64().unwrap();

    let all = app.json(&admin, "/api/v1/sales/sync/pending/").await;
    assert_eq!(all["count"], 2);
    assert_eq!(all["offset"], 0);
    let errors = app
        .json(&admin, "/api/v1/sales/sync/pending/?sync_status=error")
        .await;
    assert_eq!(errors["count"], 1);
    let row = &errors["results"][0];
    assert_eq!(row["id"], error_id);
    assert_eq!(row["seller_code"], "ID1");
    assert_eq!(row["device_id"], "PHONE-9");
    assert_eq!(row["sync_attempt_count"], 1);
    assert!(row["sync_last_attempt"].is_string());
    assert_eq!(row["next_attempt_at"], Value::Null);
    assert_eq!(row["error"], "Customer con id=999 no existe");
    let conflicts = app
        .json(&admin, "/api/v1/sales/sync/pending/?sync_status=conflict")
        .await;
    assert_eq!(conflicts["results"][0]["id"], conflict_id);
    let by_device = app
        .json(&admin, "/api/v1/sales/sync/pending/?device_id=PHONE-9")
        .await;
    assert_eq!(by_device["count"], 1);
    let paged = app
        .json(&admin, "/api/v1/sales/sync/pending/?limit=1&offset=1")
        .await;
    assert_eq!(paged["count"], 2);
    assert_eq!(paged["offset"], 1);
    assert_eq!(paged["results"].as_array().unwrap().len(), 1);
    let none = app
        .json(&admin, "/api/v1/sales/sync/pending/?sync_status=pending")
        .await;
    assert_eq!(none["count"], 0);
    for bad in ["?sync_status=synced", "?sync_status=nope", "?offset=-1"] {
        let r = app
            .get(&admin, &format!("/api/v1/sales/sync/pending/{bad}"))
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    // A seller still sees only its own.
    let beto = app.login("beto", None).await;
    let own = app
        .json(&beto, "/api/v1/sales/sync/pending/?sync_status=error")
        .await;
    assert_eq!(own["count"], 0);
}

async fn log_exports_as_csv(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = app.login("ana", Some("=PHONE")).await;
    let admin = app.login("admin", None).await;
    let r = app
        .client
        .post(app.url("/api/v1/sales/sync/upload/"))
        .header("Authorization", format!("Token {ana}"))
        .header("User-Agent", "=HYPERLINK(\"http://x\",\"y\"), \"quoted\"")
        .json(&json!({"sales": [sale(&new_id()), sale(&new_id())]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let r = app
        .get(&admin, "/api/v1/sync/log/export.csv?action=create_sale")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        r.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"ruta-registro.csv\""
    );
    let text = r.text().await.unwrap();
    // Compressed, as browsers ask for it: the stream ends cleanly.
    let gzipped = app
        .client
        .get(app.url("/api/v1/sync/log/export.csv?action=create_sale"))
        .header("Authorization", format!("Token {admin}"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.status(), StatusCode::OK);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert!(!gzipped.bytes().await.unwrap().is_empty());
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "timestamp",
            "action",
            "username",
            "seller_code",
            "device_id",
            "ip",
            "user_agent",
            "sale_id",
            "local_id",
            "success",
            "error",
            "detail",
            "chain",
            "hash"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let ids: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(ids[0] > ids[1], "newest first");
    assert_eq!(&rows[0][2], "create_sale");
    assert_eq!(&rows[0][3], "ana");
    assert_eq!(&rows[0][7], "'=HYPERLINK(\"http://x\",\"y\"), \"quoted\"");
    assert_eq!(&rows[0][10], "true");

    // The log page's filters apply; a login row from "=PHONE" is defused.
    let text = app
        .get(
            &admin,
            "/api/v1/sync/log/export.csv?action=login&seller=ID1",
        )
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][5], "'=PHONE");
    let r = app
        .get(&admin, "/api/v1/sync/log/export.csv?action=nope")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .get(&admin, "/api/v1/sync/log/export.csv?since=ayer")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

async fn products_import_creates_updates_and_reports(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let before = app.json(&admin, "/api/v1/catalog/changes/").await;
    let cursor = before["cursor"].as_str().unwrap().to_owned();
    let existing = app.json(&admin, "/api/v1/products/10/").await;
    let sku = existing["sku"].as_str().unwrap().to_owned();
    let version = existing["version"].as_i64().unwrap();

    let csv = format!(
        "name,sku,unit_price,tax_percentage,active\n\
         Nuevo producto,NEW-1,1200.50,19,\n\
         \"Renombrado, x10\",{sku},99,5,true\n\
         Malo,BAD-1,-3,19,\n\
         ,BAD-2,10,101,quizá\n\
         Otro,NEW-2,7,0,no\n"
    );
    let r = app.post_csv(&admin, "/api/v1/products/import/", &csv).await;
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["imported"], 3);
    assert_eq!(report["created"], 2);
    assert_eq!(report["updated"], 1);
    let rejected = report["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0]["row"], 4);
    assert!(rejected[0]["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("unit_price: "));
    assert_eq!(rejected[1]["row"], 5);
    let errs: Vec<&str> = rejected[1]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs.iter().any(|e| e.starts_with("tax_percentage: ")));
    assert!(errs.iter().any(|e| e.starts_with("active: ")));
    assert!(errs.iter().any(|e| e.starts_with("name: ")));

    let updated = app.json(&admin, "/api/v1/products/10/").await;
    assert_eq!(updated["name"], "Renombrado, x10");
    assert_eq!(updated["unit_price"], "99.00");
    assert_eq!(updated["version"], version + 1);
    let found = app.json(&admin, "/api/v1/products/?q=NEW-").await;
    assert_eq!(found["count"], 2);
    let bad = app.json(&admin, "/api/v1/products/?q=BAD-").await;
    assert_eq!(bad["count"], 0, "bad rows never stored");
    let changes = app
        .json(&admin, &format!("/api/v1/catalog/changes/?since={cursor}"))
        .await;
    assert_eq!(changes["products"].as_array().unwrap().len(), 3);

    // The same file again: every good row is now an update.
    let report: Value = app
        .post_csv(&admin, "/api/v1/products/import/", &csv)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["updated"], 3);
    assert_eq!(report["created"], 0);
}

async fn customers_import(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let before = app.json(&admin, "/api/v1/customers/?limit=1").await["count"]
        .as_i64()
        .unwrap();
    let long = "x".repeat(201);
    let csv = format!(
        "name,business_name,phone,address,route\n\
         Marta Ruiz,Tienda Las Palmas Importada,300 111 2222,\"Cll 1 # 2-3, local 4\",Sur\n\
         {long},,,,\n\
         Pedro,,,,\n"
    );
    let r = app
        .post_csv(&admin, "/api/v1/customers/import/", &csv)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        report,
        json!({"imported": 2, "created": 2, "updated": 0,
               "rejected": [{"row": 3, "errors": ["name: máximo 200 caracteres"]}]})
    );
    let after = app.json(&admin, "/api/v1/customers/?limit=1").await["count"]
        .as_i64()
        .unwrap();
    assert_eq!(after, before + 2);
    let found = app
        .json(&admin, "/api/v1/customers/?q=Palmas%20Importada")
        .await;
    assert_eq!(found["results"][0]["address"], "Cll 1 # 2-3, local 4");
    assert_eq!(
        found["results"][0]["business_name"],
        "Tienda Las Palmas Importada"
    );
}

async fn import_refuses_bad_files(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    // JSON is not CSV.
    let r = app
        .post(&admin, "/api/v1/products/import/", &json!({"sku": "x"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let cases = [
        ("/api/v1/products/import/", "sku,name,unit_price\nA,B,1\n"),
        (
            "/api/v1/products/import/",
            "sku,name,unit_price,tax_percentage\n",
        ),
        ("/api/v1/products/import/", ""),
        ("/api/v1/customers/import/", "name,phone\nAna,1\n"),
    ];
    for (path, csv) in cases {
        let r = app.post_csv(&admin, path, csv).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{csv:?}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["field"], "file", "{csv:?}");
        assert!(body["error"].is_string());
    }
    let mut big = String::from("name,business_name,phone,address,route\n");
    for i in 0..10_001 {
        big.push_str(&format!("C{i},,,,\n"));
    }
    let r = app
        .post_csv(&admin, "/api/v1/customers/import/", &big)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let count = app.json(&admin, "/api/v1/customers/?q=C9999").await["count"].clone();
    assert_eq!(count, 0);
}

async fn openapi_lists_the_admin_endpoints(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (path, method) in [
        ("/api/v1/admin/overview/", "get"),
        ("/api/v1/sync/conflicts/", "get"),
        ("/api/v1/sync/conflicts/{sale_id}/", "get"),
        ("/api/v1/sync/log/export.csv", "get"),
        ("/api/v1/products/import/", "post"),
        ("/api/v1/customers/import/", "post"),
        ("/api/v1/products/", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
}

both_backends!(
    admin_only,
    overview_counts_today,
    open_conflicts_are_listed_and_shown,
    pending_filters_and_fields,
    log_exports_as_csv,
    products_import_creates_updates_and_reports,
    customers_import,
    import_refuses_bad_files,
    openapi_lists_the_admin_endpoints,
);
