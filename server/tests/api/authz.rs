//! Every role on every endpoint. The rows below are the expectation table:
//! each route of the server's route table (`ruta_server::http::routes`),
//! asked by seven callers, with path parameters resolved to real objects
//! owned by seller A (ana, ID1) or seller B (beto, ID2). A route served but
//! missing from this table fails `every_route_has_expectations`.
use crate::both_backends;
use crate::helpers::{new_id, sale, spawn_app, Backend, TestApp};
use futures_util::future::join_all;
use reqwest::Method;
use ruta_server::http::routes::{all_routes, RouteSpec};
use ruta_server::services::auth::token_hash;
use ruta_server::services::demo::DEMO_PASSWORD;
use ruta_server::{clock, store};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicI64, Ordering};

/// The callers, in the order of each row's statuses.
#[derive(Debug, Clone, Copy)]
enum Caller {
    Anonymous,
    SellerA,
    SellerB,
    Dispatcher,
    Admin,
    Revoked,
    Expired,
}

const CALLERS: [Caller; 7] = [
    Caller::Anonymous,
    Caller::SellerA,
    Caller::SellerB,
    Caller::Dispatcher,
    Caller::Admin,
    Caller::Revoked,
    Caller::Expired,
];

/// What a path parameter stands for.
#[derive(Debug, Clone, Copy)]
enum Obj {
    None,
    SaleA,
    SaleB,
    SheetA,
    SheetB,
    Customer,
    FreshCustomer,
    Product,
    FreshProduct,
    OtherUser,
    FreshToken,
    Webhook,
    FreshWebhook,
    /// A device seller A signed in from.
    DeviceA,
}

#[derive(Clone, Copy)]
enum Body {
    None,
    Json(fn(&Ctx) -> Value),
    Csv(&'static str),
}

struct Row {
    method: Method,
    path: &'static str,
    obj: Obj,
    body: Body,
    /// anonymous, seller A, seller B, dispatcher, admin, revoked, expired.
    expect: [u16; 7],
}

const PUBLIC: [u16; 7] = [200; 7];
const ANY: [u16; 7] = [401, 200, 200, 200, 200, 401, 401];
const ADMIN: [u16; 7] = [401, 403, 403, 403, 200, 401, 401];
const STAFF: [u16; 7] = [401, 403, 403, 200, 200, 401, 401];
const UPLOADERS: [u16; 7] = [401, 200, 200, 403, 200, 401, 401];

fn row(method: Method, path: &'static str, obj: Obj, body: Body, expect: [u16; 7]) -> Row {
    Row {
        method,
        path,
        obj,
        body,
        expect,
    }
}

/// A distinct number per call: unique names, SKUs and dates.
fn unique() -> i64 {
    static NEXT: AtomicI64 = AtomicI64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn far_date() -> String {
    let day =
        chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap() + chrono::Duration::days(unique());
    day.format("%Y-%m-%d").to_string()
}

fn table() -> Vec<Row> {
    use Body::{Csv, Json};
    use Method as M;
    use Obj::*;
    let none = Body::None;
    vec![
        row(
            M::POST,
            "/api/v1/auth/token/",
            None,
            Json(|_| json!({"username": "carla", "password": DEMO_PASSWORD})),
            PUBLIC,
        ),
        row(
            M::POST,
            "/api/v1/auth/logout/",
            None,
            none,
            [401, 204, 204, 204, 204, 401, 401],
        ),
        row(M::GET, "/api/v1/auth/me/", None, none, ANY),
        row(M::GET, "/api/v1/users/", None, none, ADMIN),
        row(
            M::POST,
            "/api/v1/users/",
            None,
            Json(|_| {
                json!({"username": format!("u{}", unique()), "password": "clave-larga-2026",
                       "role": "dispatcher"})
            }),
            [401, 403, 403, 403, 201, 401, 401],
        ),
        row(
            M::POST,
            "/api/v1/users/{id}/password/",
            OtherUser,
            Json(|_| json!({"password": DEMO_PASSWORD})),
            [401, 403, 403, 403, 204, 401, 401],
        ),
        row(M::GET, "/api/v1/users/{id}/tokens/", OtherUser, none, ADMIN),
        row(
            M::DELETE,
            "/api/v1/tokens/{id}/",
            FreshToken,
            none,
            [401, 403, 403, 403, 204, 401, 401],
        ),
        row(M::GET, "/api/v1/sellers/", None, none, STAFF),
        row(M::GET, "/api/v1/customers/", None, none, ANY),
        row(
            M::POST,
            "/api/v1/customers/",
            None,
            Json(|_| json!({"name": format!("Tienda {}", unique())})),
            [401, 201, 201, 403, 201, 401, 401],
        ),
        row(M::GET, "/api/v1/customers/{id}/", Customer, none, ANY),
        row(
            M::PUT,
            "/api/v1/customers/{id}/",
            FreshCustomer,
            Json(|_| json!({"name": format!("Tienda {}", unique())})),
            ADMIN,
        ),
        row(
            M::DELETE,
            "/api/v1/customers/{id}/",
            FreshCustomer,
            none,
            [401, 403, 403, 403, 204, 401, 401],
        ),
        row(M::GET, "/api/v1/products/", None, none, ANY),
        row(
            M::POST,
            "/api/v1/products/",
            None,
            Json(|_| json!({"sku": format!("AZ-{}", unique()), "name": "Pan", "unit_price": "1"})),
            [401, 403, 403, 403, 201, 401, 401],
        ),
        row(M::GET, "/api/v1/products/{id}/", Product, none, ANY),
        row(
            M::PUT,
            "/api/v1/products/{id}/",
            FreshProduct,
            Json(
                |_| json!({"sku": format!("PG-{}", unique()), "name": "Pan grande", "unit_price": "2"}),
            ),
            ADMIN,
        ),
        row(
            M::DELETE,
            "/api/v1/products/{id}/",
            FreshProduct,
            none,
            [401, 403, 403, 403, 204, 401, 401],
        ),
        row(
            M::POST,
            "/api/v1/customers/import/",
            None,
            Csv("name,business_name,phone,address,route\nTienda importada,,,,Norte\n"),
            ADMIN,
        ),
        row(
            M::POST,
            "/api/v1/products/import/",
            None,
            Csv("sku,name,unit_price,tax_percentage\nCSV-1,Pan importado,1,19\n"),
            ADMIN,
        ),
        row(M::GET, "/api/v1/catalog/changes/", None, none, ANY),
        row(M::GET, "/api/v1/sales/", None, none, ANY),
        row(
            M::POST,
            "/api/v1/sales/",
            None,
            Json(|_| sale(&new_id())),
            [401, 201, 201, 403, 201, 401, 401],
        ),
        // A seller asking for another seller's sale gets 404.
        row(
            M::GET,
            "/api/v1/sales/{id}/",
            SaleA,
            none,
            [401, 200, 404, 200, 200, 401, 401],
        ),
        row(
            M::GET,
            "/api/v1/sales/{id}/",
            SaleB,
            none,
            [401, 404, 200, 200, 200, 401, 401],
        ),
        // SaleA is a draft of an earlier day: the seller may not void it
        // (not the same day), nor may an admin (only a confirmed sale is).
        row(
            M::POST,
            "/api/v1/sales/{id}/void/",
            SaleA,
            Json(|_| json!({"reason": "mal digitada"})),
            [401, 409, 404, 403, 409, 401, 401],
        ),
        row(
            M::POST,
            "/api/v1/sales/sync/upload/",
            None,
            Json(|_| json!({"sales": [sale(&new_id())]})),
            UPLOADERS,
        ),
        row(M::GET, "/api/v1/sales/sync/pending/", None, none, UPLOADERS),
        // Another seller's sale id comes back `not_found` (checked below).
        row(
            M::POST,
            "/api/v1/sales/sync/retry/",
            None,
            Json(|c| json!({"sale_ids": [c.sale_b]})),
            UPLOADERS,
        ),
        // Not in conflict → 409 for whoever may resolve it; 404 for another seller.
        row(
            M::POST,
            "/api/v1/sales/sync/resolve/",
            None,
            Json(|c| json!({"sale_id": c.sale_a, "resolution": "server_wins"})),
            [401, 409, 404, 403, 409, 401, 401],
        ),
        row(
            M::GET,
            "/api/v1/sales/sync/status/{id}/",
            SaleA,
            none,
            [401, 200, 404, 403, 200, 401, 401],
        ),
        row(
            M::GET,
            "/api/v1/sales/sync/status/{id}/",
            SaleB,
            none,
            [401, 404, 200, 403, 200, 401, 401],
        ),
        row(M::GET, "/api/v1/sync/config/", None, none, ANY),
        row(
            M::PUT,
            "/api/v1/sync/config/",
            None,
            Json(|_| json!({"customer": {"strategy": "last_write_wins"}})),
            ADMIN,
        ),
        row(M::GET, "/api/v1/sync/rate/", None, none, ADMIN),
        row(
            M::PUT,
            "/api/v1/sync/rate/",
            None,
            Json(|_| json!({"rate": "off"})),
            ADMIN,
        ),
        row(M::GET, "/api/v1/sync/log/", None, none, ADMIN),
        row(M::GET, "/api/v1/sync/log/verify/", None, none, ADMIN),
        row(M::GET, "/api/v1/sync/log/export.csv", None, none, ADMIN),
        row(M::GET, "/api/v1/sync/conflicts/", None, none, ADMIN),
        row(
            M::GET,
            "/api/v1/sync/conflicts/{sale_id}/",
            SaleA,
            none,
            [401, 403, 403, 403, 404, 401, 401],
        ),
        row(M::GET, "/api/v1/admin/overview/", None, none, ADMIN),
        row(M::GET, "/api/v1/admin/sales/", None, none, ADMIN),
        row(M::GET, "/api/v1/admin/sales/export.csv", None, none, ADMIN),
        row(
            M::GET,
            "/api/v1/admin/sales/{id}/history/",
            SaleA,
            none,
            ADMIN,
        ),
        // A sheet is readable by dispatchers, admins and its seller.
        row(
            M::GET,
            "/api/v1/cargue/{seller_code}/",
            SheetA,
            none,
            [401, 200, 403, 200, 200, 401, 401],
        ),
        row(
            M::GET,
            "/api/v1/cargue/{seller_code}/",
            SheetB,
            none,
            [401, 403, 200, 200, 200, 401, 401],
        ),
        row(
            M::PUT,
            "/api/v1/cargue/{seller_code}/",
            SheetA,
            Json(|_| json!({"lines": [{"product_id": 10, "quantity": "40"}]})),
            STAFF,
        ),
        // A seller sets only `v`, only on its own sheet; a dispatcher only `d`.
        row(
            M::POST,
            "/api/v1/cargue/{seller_code}/check/",
            SheetA,
            Json(|_| json!({"product_id": 10, "v": true})),
            [401, 200, 403, 403, 200, 401, 401],
        ),
        row(
            M::POST,
            "/api/v1/cargue/{seller_code}/check/",
            SheetB,
            Json(|_| json!({"product_id": 10, "v": true})),
            [401, 403, 200, 403, 200, 401, 401],
        ),
        row(
            M::POST,
            "/api/v1/cargue/{seller_code}/check/",
            SheetB,
            Json(|_| json!({"product_id": 10, "d": true})),
            [401, 403, 403, 200, 200, 401, 401],
        ),
        row(
            M::POST,
            "/api/v1/cargue/{seller_code}/close/",
            SheetB,
            Json(|_| json!({"date": far_date()})),
            STAFF,
        ),
        // The day's settlement: readable like the sheet; settled by staff
        // (a fresh date each time, so each one is a first settlement);
        // re-opened by an admin only (the fresh date was never settled: 409).
        row(
            M::GET,
            "/api/v1/cargue/{seller_code}/settlement/",
            SheetA,
            none,
            [401, 200, 403, 200, 200, 401, 401],
        ),
        row(
            M::GET,
            "/api/v1/cargue/{seller_code}/settlement/versions/",
            SheetA,
            none,
            STAFF,
        ),
        row(
            M::POST,
            "/api/v1/cargue/{seller_code}/settle/",
            SheetB,
            Json(|_| json!({"date": far_date(), "lines": [], "cash_counted": "0"})),
            STAFF,
        ),
        row(
            M::POST,
            "/api/v1/cargue/{seller_code}/reopen/",
            SheetB,
            Json(|_| json!({"date": far_date(), "reason": "recuento"})),
            [401, 403, 403, 403, 409, 401, 401],
        ),
        // The report needs its range: an admin without one gets 400.
        row(
            M::GET,
            "/api/v1/reports/daily/",
            None,
            none,
            [401, 403, 403, 403, 400, 401, 401],
        ),
        row(
            M::GET,
            "/api/v1/reports/daily.csv",
            None,
            none,
            [401, 403, 403, 403, 400, 401, 401],
        ),
        // The receipts' business profile: everyone reads it, admins save it.
        row(M::GET, "/api/v1/business/", None, none, ANY),
        row(
            M::PUT,
            "/api/v1/business/",
            None,
            Json(|_| json!({"name": "La Espiga", "tax_id": "900123456-7"})),
            ADMIN,
        ),
        // A device's name: its own seller may read it; admins name it.
        row(
            M::GET,
            "/api/v1/devices/{device_id}/",
            DeviceA,
            none,
            [401, 200, 404, 403, 200, 401, 401],
        ),
        row(
            M::PUT,
            "/api/v1/devices/{device_id}/name/",
            DeviceA,
            Json(|_| json!({"name": "Tablet camión 3"})),
            ADMIN,
        ),
        row(M::GET, "/api/v1/webhooks/", None, none, ADMIN),
        row(
            M::POST,
            "/api/v1/webhooks/",
            None,
            Json(|_| json!({"url": "https://example.com/hook", "events": ["sale_synced"]})),
            [401, 403, 403, 403, 201, 401, 401],
        ),
        row(M::GET, "/api/v1/webhooks/{id}/", Webhook, none, ADMIN),
        row(
            M::PUT,
            "/api/v1/webhooks/{id}/",
            Webhook,
            Json(|_| json!({"url": "https://example.com/hook2", "events": ["sale_error"]})),
            ADMIN,
        ),
        row(
            M::DELETE,
            "/api/v1/webhooks/{id}/",
            FreshWebhook,
            none,
            [401, 403, 403, 403, 204, 401, 401],
        ),
        row(
            M::POST,
            "/api/v1/webhooks/{id}/secret/",
            Webhook,
            none,
            ADMIN,
        ),
        row(
            M::POST,
            "/api/v1/webhooks/{id}/test/",
            Webhook,
            none,
            [401, 403, 403, 403, 202, 401, 401],
        ),
        row(
            M::GET,
            "/api/v1/webhooks/{id}/deliveries/",
            Webhook,
            none,
            ADMIN,
        ),
        // Needs no token: a bad one is ignored, not refused.
        row(M::GET, "/api/v1/openapi.json", None, none, PUBLIC),
        row(M::GET, "/health", None, none, PUBLIC),
        row(M::GET, "/sw.js", None, none, PUBLIC),
        row(M::GET, "/metrics", None, none, ADMIN),
        // WebSockets: a real handshake; 101 = upgraded.
        row(
            M::GET,
            "/ws/cargue/{seller_code}/",
            SheetA,
            none,
            [401, 101, 403, 101, 101, 401, 401],
        ),
        row(
            M::GET,
            "/ws/cargue/{seller_code}/",
            SheetB,
            none,
            [401, 403, 101, 101, 101, 401, 401],
        ),
        row(
            M::GET,
            "/ws/sync/status/",
            None,
            none,
            [401, 403, 403, 403, 101, 401, 401],
        ),
        row(
            M::GET,
            "/ws/sync/conflicts/",
            None,
            none,
            [401, 403, 403, 403, 101, 401, 401],
        ),
        row(
            M::GET,
            "/ws/sync/queue/",
            None,
            none,
            [401, 403, 403, 403, 101, 401, 401],
        ),
    ]
}

/// The objects the rows point at.
pub struct Ctx {
    sale_a: i64,
    sale_b: i64,
    users: [i64; 5],
    webhook: i64,
    admin: String,
}

pub async fn user_id(app: &TestApp, username: &str) -> i64 {
    store::users::by_username(app.db.read(), username)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A token issued at `issued` straight through the store (no argon2, so
/// every request can have its own).
pub async fn mint(app: &TestApp, user_id: i64, issued: &str) -> (i64, String) {
    let token = format!("t-{}", uuid::Uuid::new_v4().simple());
    let id = store::tokens::insert(app.db.write(), user_id, &token_hash(&token), None, issued)
        .await
        .unwrap();
    (id, token)
}

async fn token_for(app: &TestApp, ctx: &Ctx, caller: Caller) -> Option<String> {
    let now = clock::now();
    let user = |i: usize| ctx.users[i];
    Some(match caller {
        Caller::Anonymous => return None,
        Caller::SellerA => mint(app, user(0), &now).await.1,
        Caller::SellerB => mint(app, user(1), &now).await.1,
        Caller::Dispatcher => mint(app, user(2), &now).await.1,
        Caller::Admin => mint(app, user(3), &now).await.1,
        Caller::Revoked => {
            let (id, token) = mint(app, user(3), &now).await;
            store::tokens::revoke(app.db.write(), id, &now)
                .await
                .unwrap();
            token
        }
        Caller::Expired => {
            // The default lifetime is 30 days.
            let issued = clock::format(chrono::Utc::now() - chrono::Duration::days(31));
            mint(app, user(3), &issued).await.1
        }
    })
}

async fn created_id(app: &TestApp, admin: &str, path: &str, body: Value) -> i64 {
    let r = app.post(admin, path, &body).await;
    assert_eq!(r.status(), 201, "{path}");
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn resolve(app: &TestApp, ctx: &Ctx, obj: Obj) -> String {
    let admin = &ctx.admin;
    match obj {
        Obj::None => String::new(),
        Obj::SaleA => ctx.sale_a.to_string(),
        Obj::SaleB => ctx.sale_b.to_string(),
        Obj::SheetA => "ID1".into(),
        Obj::SheetB => "ID2".into(),
        Obj::Customer => "5".into(),
        Obj::Product => "10".into(),
        Obj::OtherUser => ctx.users[4].to_string(),
        Obj::Webhook => ctx.webhook.to_string(),
        Obj::FreshToken => mint(app, ctx.users[4], &clock::now()).await.0.to_string(),
        Obj::FreshCustomer => {
            let body = json!({"name": format!("Tienda {}", unique())});
            created_id(app, admin, "/api/v1/customers/", body)
                .await
                .to_string()
        }
        Obj::FreshProduct => {
            let body = json!({"sku": format!("FR-{}", unique()), "name": "Pan", "unit_price": "1"});
            created_id(app, admin, "/api/v1/products/", body)
                .await
                .to_string()
        }
        Obj::DeviceA => {
            app.login("ana", Some("AUTHZ-TAB-A")).await;
            "AUTHZ-TAB-A".into()
        }
        Obj::FreshWebhook => {
            let body = json!({"url": "https://example.com/gone", "events": ["sale_synced"]});
            created_id(app, admin, "/api/v1/webhooks/", body)
                .await
                .to_string()
        }
    }
}

fn fill(template: &str, value: &str) -> String {
    ["{id}", "{sale_id}", "{seller_code}", "{device_id}"]
        .iter()
        .fold(template.to_owned(), |p, k| p.replace(k, value))
}

/// The status one caller gets; WebSocket routes are asked with a real
/// handshake.
async fn status_of(app: &TestApp, ctx: &Ctx, row: &Row, caller: Caller) -> u16 {
    ask(app, ctx, row, caller, false).await
}

/// `malformed`: the body is replaced by one no handler can parse.
async fn ask(app: &TestApp, ctx: &Ctx, row: &Row, caller: Caller, malformed: bool) -> u16 {
    let path = fill(row.path, &resolve(app, ctx, row.obj).await);
    let token = token_for(app, ctx, caller).await;
    if path.starts_with("/ws/") {
        let mut url = format!("{}{path}", app.base.replacen("http", "ws", 1));
        if let Some(token) = &token {
            url.push_str(&format!("?token={token}"));
        }
        return match tokio_tungstenite::connect_async(url).await {
            Ok((_, response)) => response.status().as_u16(),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                response.status().as_u16()
            }
            Err(e) => panic!("{path}: {e}"),
        };
    }
    let mut request = app.client.request(row.method.clone(), app.url(&path));
    if let Some(token) = &token {
        request = request.header("Authorization", format!("Token {token}"));
    }
    request = match row.body {
        _ if malformed => request
            .header("Content-Type", "application/json")
            .body("{\"lines\": ["),
        Body::None => request,
        Body::Json(make) => request.json(&make(ctx)),
        Body::Csv(text) => request.header("Content-Type", "text/csv").body(text),
    };
    request.send().await.unwrap().status().as_u16()
}

async fn setup(app: &TestApp) -> Ctx {
    let mut users = [0; 5];
    for (slot, name) in users
        .iter_mut()
        .zip(["ana", "beto", "despacho", "admin", "carla"])
    {
        *slot = user_id(app, name).await;
    }
    let now = clock::now();
    let admin = mint(app, users[3], &now).await.1;
    let ana = mint(app, users[0], &now).await.1;
    let beto = mint(app, users[1], &now).await.1;
    let (_, a) = app.upload(&ana, vec![sale(&new_id())]).await;
    let (_, b) = app.upload(&beto, vec![sale(&new_id())]).await;
    for code in ["ID1", "ID2"] {
        let lines = json!({"lines": [{"product_id": 10, "quantity": "40"}]});
        let path = format!("/api/v1/cargue/{code}/");
        let r = app.send(Method::PUT, &admin, &path, &lines).await;
        assert_eq!(r.status(), 200, "{path}");
    }
    let hook = json!({"url": "https://example.com/hook", "events": ["sale_synced"]});
    let webhook = created_id(app, &admin, "/api/v1/webhooks/", hook).await;
    Ctx {
        sale_a: a["results"][0]["sale_id"].as_i64().unwrap(),
        sale_b: b["results"][0]["sale_id"].as_i64().unwrap(),
        users,
        webhook,
        admin,
    }
}

/// Every route the server has appears in the table, and nothing else does.
#[test]
fn every_route_has_expectations() {
    let served: BTreeSet<(String, String)> = all_routes()
        .into_iter()
        .map(|RouteSpec { method, path }| (method.to_string(), path))
        .collect();
    let expected: BTreeSet<(String, String)> = table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&expected).collect();
    let unknown: Vec<_> = expected.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes with no expectations: {missing:?}"
    );
    assert!(unknown.is_empty(), "expectations for no route: {unknown:?}");
}

async fn every_role_on_every_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let ctx = setup(&app).await;
    let mut wrong = Vec::new();
    for row in table() {
        // The callers of one row run together; rows run in order.
        let asked = join_all(CALLERS.iter().map(|c| status_of(&app, &ctx, &row, *c))).await;
        for ((caller, want), got) in CALLERS.iter().zip(row.expect).zip(asked) {
            if want != got {
                wrong.push(format!(
                    "{} {} ({:?}) as {caller:?}: expected {want}, got {got}",
                    row.method, row.path, row.obj
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// A check's refusal for a caller who may check that sheet depends on
/// which check the body sets (`v` for its seller, `d` for a dispatcher).
fn refusal_reads_body(row: &Row, caller: Caller) -> bool {
    row.path.ends_with("/check/")
        && matches!(
            (row.obj, caller),
            (_, Caller::Dispatcher)
                | (Obj::SheetA, Caller::SellerA)
                | (Obj::SheetB, Caller::SellerB)
        )
}

/// A caller without the right (no token, wrong role, another seller's
/// sheet) is refused before the body is read: the same 401/403 with a body
/// that does not parse, never a 400 that shows the validation.
async fn refusals_come_before_the_body(backend: Backend) {
    let app = spawn_app(backend).await;
    let ctx = setup(&app).await;
    let mut wrong = Vec::new();
    for row in table().iter().filter(|r| !matches!(r.body, Body::None)) {
        for (caller, want) in CALLERS.iter().zip(row.expect) {
            if (want != 401 && want != 403) || refusal_reads_body(row, *caller) {
                continue;
            }
            let got = ask(&app, &ctx, row, *caller, true).await;
            if got != want {
                wrong.push(format!(
                    "{} {} ({:?}) as {caller:?} with a malformed body: expected {want}, got {got}",
                    row.method, row.path, row.obj
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// Seller A cannot change seller B's sales: retrying one answers
/// `not_found` and queues nothing, resolving one is a 404, and B's sale is
/// untouched.
async fn a_seller_never_touches_another_sellers_sales(backend: Backend) {
    let app = spawn_app(backend).await;
    let ctx = setup(&app).await;
    let ana = mint(&app, ctx.users[0], &clock::now()).await.1;
    let admin = &ctx.admin;
    let before: Value = app
        .get(admin, &format!("/api/v1/sales/{}/", ctx.sale_b))
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post(
            &ana,
            "/api/v1/sales/sync/retry/",
            &json!({"sale_ids": [ctx.sale_b]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["processed"], 0);
    assert_eq!(body["results"][0]["status"], "not_found");
    let listed: Value = app
        .get(&ana, "/api/v1/sales/?seller=ID2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["count"], 0, "ana listed beto's sales: {listed}");
    // Re-uploading B's local_id from A is refused per sale.
    let mut stolen = sale(before["local_id"].as_str().unwrap());
    stolen["notes"] = json!("cambiada por ana");
    let (_, up) = app.upload(&ana, vec![stolen]).await;
    assert_eq!(up["results"][0]["status"], "error");
    assert_eq!(
        up["results"][0]["error"],
        "local_id pertenece a otro vendedor"
    );
    let after: Value = app
        .get(admin, &format!("/api/v1/sales/{}/", ctx.sale_b))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before, after);
}

/// A token issued longer ago than `RUTA_TOKEN_TTL` is refused with 401 in
/// the contract's shape; one just inside the lifetime still works.
async fn an_expired_token_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = user_id(&app, "ana").await;
    let old = clock::format(
        chrono::Utc::now() - chrono::Duration::days(30) - chrono::Duration::seconds(5),
    );
    let (_, expired) = mint(&app, ana, &old).await;
    let r = app.get(&expired, "/api/v1/auth/me/").await;
    assert_eq!(r.status(), 401);
    assert!(r.json::<Value>().await.unwrap()["detail"].is_string());
    let recent = clock::format(chrono::Utc::now() - chrono::Duration::days(29));
    let (_, fresh) = mint(&app, ana, &recent).await;
    assert_eq!(app.get(&fresh, "/api/v1/auth/me/").await.status(), 200);
}

both_backends!(
    every_role_on_every_route,
    refusals_come_before_the_body,
    a_seller_never_touches_another_sellers_sales,
    an_expired_token_is_refused,
);
