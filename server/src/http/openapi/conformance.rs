//! The OpenAPI schemas held to the shared wire types: each type, read from
//! a sample and written back as the server writes it, must validate
//! against the schema named for it: every key it writes documented with
//! the right JSON type, every key the schema requires written. A field
//! added to a `ruta_shared::wire` type without its schema fails here.
use super::schemas;
use ruta_shared::admin::{ConflictDetail, ConflictSummary, Overview};
use ruta_shared::auth::{LoginRequest, TokenResponse, UserView};
use ruta_shared::catalog::{CatalogChanges, CatalogConflict};
use ruta_shared::sync::{UploadRequest, UploadResult};
use ruta_shared::wire::admin::{
    ImportReport, LogEntry, RetryRequest, RetryResponse, SyncRate, Verification,
};
use ruta_shared::wire::cargue::{CheckRequest, CloseShift, LineView, ReplaceSheet, SheetView};
use ruta_shared::wire::sales::{AlreadyStored, ResolveRequest, ResolveResponse, SyncStatusView};
use ruta_shared::wire::settlement::{ReopenRequest, SettleRequest, SettlementView};
use ruta_shared::wire::users::{DeviceToken, NewUser, PasswordReset, Seller};
use ruta_shared::wire::webhooks::{DeliveryView, SecretView, WebhookInput, WebhookView};
use ruta_shared::wire::{CursorPage, ErrorBody, PendingSale, SyncConfig};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Where `value` departs from `schema` (empty when it conforms).
fn departures(all: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/schemas/");
        return departures(all, &all[name], value, at);
    }
    let mut found = Vec::new();
    if let Some(branches) = schema["anyOf"].as_array() {
        let fits = |branch: &Value| {
            let merged = match (schema.as_object(), branch.as_object()) {
                (Some(outer), Some(inner)) => {
                    let mut m = outer.clone();
                    m.remove("anyOf");
                    m.extend(inner.clone());
                    Value::Object(m)
                }
                _ => branch.clone(),
            };
            departures(all, &merged, value, at).is_empty()
        };
        if !branches.iter().any(fits) {
            found.push(format!("{at}: fits no anyOf branch: {value}"));
        }
        return found;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let is = |t: &str| match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    };
    if !types.is_empty() && !types.iter().any(|t| is(t)) {
        found.push(format!("{at}: {value} is not {types:?}"));
        return found;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            found.push(format!("{at}: {value} not in {allowed:?}"));
        }
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema["properties"].as_object())
    {
        for key in schema["required"].as_array().into_iter().flatten() {
            if let Some(key) = key.as_str().filter(|k| !object.contains_key(*k)) {
                found.push(format!("{at}: required `{key}` not written"));
            }
        }
        for (key, field) in object {
            match properties.get(key) {
                Some(s) => found.extend(departures(all, s, field, &format!("{at}.{key}"))),
                None => found.push(format!("{at}: `{key}` is written but not documented")),
            }
        }
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            found.extend(departures(all, schema, item, &format!("{at}[{i}]")));
        }
    }
    found
}

/// The sample read as `T` and written back: what the server sends.
fn written<T: Serialize + DeserializeOwned>(sample: Value) -> Value {
    let typed: T = serde_json::from_value(sample.clone())
        .unwrap_or_else(|e| panic!("sample does not read as the type: {e}: {sample}"));
    serde_json::to_value(typed).unwrap()
}

fn log_entry(detail: Option<Value>) -> Value {
    let mut row = json!({
        "id": 1, "chain": "global", "action": "catalog_update", "user_id": 1,
        "username": "admin", "seller_code": null, "device_id": null, "ip": "127.0.0.1",
        "user_agent": "curl", "sale_id": null, "local_id": null, "success": true,
        "error": null, "timestamp": "2026-12-07T08:00:00.000Z",
        "prev_hash": "0", "hash": "a"
    });
    if let Some(d) = detail {
        row["detail"] = d;
    }
    row
}

fn line() -> Value {
    json!({"product_id": 1, "product": "Arepa", "quantity": "40.000", "v": true,
           "d": false, "version": 2, "updated_at": "2026-12-07T06:00:00.000Z"})
}

fn summary() -> Value {
    json!({"id": 1, "sale_id": 9, "sale_number": "VTA-000009", "local_id": "L",
           "seller_code": "ID1", "device_id": "tab", "customer_name": "Tienda",
           "fields": ["items"], "server_version": 2, "client_version": 1,
           "created_at": "2026-12-07T08:00:00.000Z"})
}

/// Every shared wire type beside the schema that documents it.
fn samples() -> Vec<(&'static str, Value)> {
    let user = json!({"id": 1, "username": "ana", "role": "seller", "seller_code": "ID1"});
    let webhook = json!({
        "id": 1, "url": "https://erp.example/hook", "events": ["sale_synced"], "active": true,
        "created_at": "t", "updated_at": "t", "last_delivery_status": "delivered", "secret": "s"
    });
    vec![
        (
            "Error",
            written::<ErrorBody>(json!({"detail": "Not found."})),
        ),
        (
            "Error",
            written::<ErrorBody>(json!({"error": "name es requerido", "field": "name"})),
        ),
        ("User", written::<UserView>(user.clone())),
        (
            "TokenAnswer",
            written::<TokenResponse>(json!({"token": "t", "user": user})),
        ),
        (
            "Login",
            written::<LoginRequest>(
                json!({"username": "ana", "password": "secreta", "device_id": "tablet-3"}),
            ),
        ),
        (
            "UploadBody",
            written::<UploadRequest<Value>>(json!({"sales": [{"local_id": "L"}]})),
        ),
        (
            "Settlement",
            written::<SettlementView>(json!({
                "seller_code": "ID1", "date": "2026-02-16", "state": "settled", "version": 2,
                "lines": [{"product_id": 10, "product": "Arepa", "loaded": "40", "sold": "3",
                           "returned": "1", "expected_left": "37", "counted_left": "36",
                           "difference": "-1"}],
                "payments": {"cash": "3570.00", "transfer": "0.00", "card": "0.00",
                             "credit": "0.00", "total": "3570.00"},
                "sales_count": 1, "voided_count": 0, "cash_expected": "3570.00",
                "cash_counted": "3500.00", "cash_difference": "-70.00", "settled_by": "despacho",
                "settled_at": "t", "reopened_by": null, "reopened_at": null, "reopen_reason": null,
                "late_sales": [{"sale_id": 4, "number": "VTA-2026-00004", "total": "10.00",
                                "accepted_at": "t"}],
                "unsynced": [{"device_id": "tab", "name": "Tablet camión 3", "sales": 2,
                              "reported_unsynced": 3, "reported_at": "t", "last_sync_at": null}]
            })),
        ),
        (
            "DailyReport",
            written::<ruta_shared::report::DailyReport>(json!({
                "from": "2026-02-16", "to": "2026-02-16",
                "rows": [{"date": "2026-02-16", "seller_code": "ID1", "sales": 2, "voided": 1,
                          "cash": "154.28", "transfer": "0.00", "card": "0.00", "credit": "30.25",
                          "total": "184.53"}],
                "totals": {"date": "", "seller_code": "", "sales": 2, "voided": 1,
                           "cash": "154.28", "transfer": "0.00", "card": "0.00", "credit": "30.25",
                           "total": "184.53"}
            })),
        ),
        (
            "SettleBody",
            written::<SettleRequest>(json!({"date": "2026-02-16", "version": 0,
                "lines": [{"product_id": 10, "left": "36"}], "cash_counted": "3500"})),
        ),
        (
            "SaleHistory",
            written::<ruta_shared::wire::office::SaleHistory>(json!({
                "sale": {"id": 1, "number": "VTA-2026-00001", "local_id": "L", "seller_code": "ID1",
                         "device_id": "tab", "customer_id": 5, "customer_name": "Tienda",
                         "status": "cancelled", "payment_method": "cash", "payment_status": "paid",
                         "sync_status": "synced", "created_at": "t", "server_timestamp": "t",
                         "updated_at": "t", "version": 2, "items": [], "returns": [], "notes": null,
                         "subtotal": "1.00", "discount_total": "0.00", "tax_total": "0.00",
                         "total": "1.00"},
                "versions": [{"version": 1, "content": {"status": "confirmed"}, "superseded_at": "t"}],
                "log": [log_entry(None)]
            })),
        ),
        (
            "DeviceName",
            written::<ruta_shared::wire::users::DeviceName>(
                json!({"device_id": "tab-3", "name": "Tablet camión 3"}),
            ),
        ),
        (
            "BusinessProfile",
            written::<ruta_shared::wire::business::BusinessProfile>(json!({
                "name": "Panadería La Espiga", "tax_id": "900123456-7",
                "address": "Cra 7 # 12-30", "phone": "601 555 0101",
                "receipt_footer": "Gracias por su compra"
            })),
        ),
        (
            "DeviceRename",
            written::<ruta_shared::wire::users::RenameDevice>(json!({"name": "Tablet camión 3"})),
        ),
        (
            "VoidBody",
            written::<ruta_shared::wire::sales::VoidRequest>(json!({"reason": "mal digitada"})),
        ),
        (
            "ReopenBody",
            written::<ReopenRequest>(json!({"date": "2026-02-16", "reason": "conteo corregido"})),
        ),
        (
            "NewUser",
            written::<NewUser>(
                json!({"username": "u", "password": "secreta", "role": "seller", "seller_code": "ID2"}),
            ),
        ),
        (
            "PasswordReset",
            written::<PasswordReset>(json!({"password": "secreta"})),
        ),
        (
            "Token",
            written::<DeviceToken>(
                json!({"id": 1, "device_id": "tab", "created_at": "t", "last_used_at": null, "revoked": false}),
            ),
        ),
        (
            "Seller",
            written::<Seller>(json!({"seller_code": "ID1", "username": "ana"})),
        ),
        (
            "CatalogChanges",
            written::<CatalogChanges>(
                json!({"customers": [], "products": [], "cursor": "12", "has_more": false}),
            ),
        ),
        (
            "CatalogConflict",
            written::<CatalogConflict>(json!({
                "error": "CONFLICT", "message": "m", "id": 3,
                "conflict": {"server_version": 2, "client_version": 1, "fields": ["name"],
                             "server": {"name": "A"}, "client": {"name": "B"}}
            })),
        ),
        (
            "ImportReport",
            written::<ImportReport>(json!({"imported": 2, "created": 1, "updated": 1,
                                           "rejected": [{"row": 3, "errors": ["name es requerido"]}]})),
        ),
        (
            "UploadResult",
            written::<UploadResult>(json!({"local_id": "L", "status": "success", "sale_id": 1,
                                           "sale_number": "VTA-000001", "version": 1})),
        ),
        (
            "SingleSaleAnswer",
            written::<AlreadyStored>(
                json!({"warning": "Venta ya existe", "id": 1, "local_id": "L",
                                            "number": "VTA-000001", "timestamp": "t"}),
            ),
        ),
        (
            "PendingSale",
            written::<PendingSale>(json!({
                "id": 4, "number": null, "local_id": "L", "status": "confirmed",
                "payment_status": "paid", "customer": 7, "customer_name": "Tienda",
                "fiscal_status": "not_required", "total": "10.00", "created_at": "t",
                "sync_status": "error", "error": "e", "seller_code": "ID1", "device_id": "tab",
                "sync_attempt_count": 1, "sync_last_attempt": "t", "next_attempt_at": null
            })),
        ),
        (
            "RetryBody",
            written::<RetryRequest>(json!({"sale_ids": [1, 2]})),
        ),
        (
            "RetryAnswer",
            written::<RetryResponse>(
                json!({"message": "Retry queued successfully", "processed": 1,
                "results": [{"sale_id": 1, "sale_number": null, "status": "queued", "attempt": 2},
                            {"sale_id": 2, "sale_number": "VTA-000002", "status": "already_synced"}]}),
            ),
        ),
        (
            "ResolveBody",
            written::<ResolveRequest>(json!({"sale_id": 1, "resolution": "manual",
                                             "client_data": {"local_id": "L"}, "notes": "n"})),
        ),
        (
            "ResolveAnswer",
            written::<ResolveResponse>(json!({"message": "Conflict resolved with server_wins",
                "sale": {"id": 1, "number": "VTA-000001", "sync_status": "synced",
                         "sync_succeeded_at": "t", "version": 3, "conflict_resolution": "server_wins"}})),
        ),
        (
            "SyncStatus",
            written::<SyncStatusView>(json!({"sale_id": 1, "sale_number": null, "local_id": "L",
                "sync_status": "pending", "sync_succeeded_at": null, "sync_last_attempt": null,
                "sync_attempt_count": 0, "next_attempt_at": null, "version": 1,
                "conflict_resolution": null, "error": null})),
        ),
        (
            "SyncConfig",
            written::<SyncConfig>(json!({"sale": {"strategy": "manual", "critical": true},
                                         "customer": {"strategy": "server_wins"}})),
        ),
        ("SyncRate", written::<SyncRate>(json!({"rate": "50/hour"}))),
        ("LogRow", written::<LogEntry>(log_entry(None))),
        (
            "LogRow",
            written::<LogEntry>(log_entry(Some(json!({"fields": ["name"]})))),
        ),
        (
            "LogPage",
            written::<CursorPage<LogEntry>>(
                json!({"results": [log_entry(None)], "next_cursor": "1"}),
            ),
        ),
        (
            "Verification",
            written::<Verification>(json!({"ok": true, "rows": 3})),
        ),
        (
            "Verification",
            written::<Verification>(
                json!({"ok": false, "rows": 3, "chain": "global", "first_bad_row": 2}),
            ),
        ),
        ("ConflictSummary", written::<ConflictSummary>(summary())),
        (
            "ConflictDetail",
            written::<ConflictDetail>({
                let mut d = summary();
                d["server"] = json!({"items": []});
                d["client"] = json!({"items": []});
                d
            }),
        ),
        (
            "Overview",
            written::<Overview>(json!({
                "generated_at": "t", "date": "2026-12-07", "timezone": "America/Bogota",
                "devices_total": 1, "devices_online": 1,
                "devices": [{"device_id": "D1", "username": "ana", "seller_code": "ID1",
                             "last_seen_at": null, "last_sync_at": null, "online": true}],
                "sales_today": {"count": 2, "amount": "10.50"},
                "sync": {"pending": 0, "error": 1, "conflict": 2}, "retry_queue": 0,
                "sales_per_hour": [0, 1],
                "uploads_per_device": [{"device_id": "D1", "seller_code": "ID1", "uploads": 3}],
                "latency": [{"label": "< 1 min", "count": 2}],
                "errors_per_day": [{"date": "2026-12-07", "count": 1}]
            })),
        ),
        ("CargueLine", written::<LineView>(line())),
        (
            "CargueSheet",
            written::<SheetView>(
                json!({"seller_code": "ID1", "date": "2026-12-07", "day": "LUNES",
                                        "closed": false, "seq": 3, "lines": [line()]}),
            ),
        ),
        (
            "CargueReplace",
            written::<ReplaceSheet>(json!({"lines": [{"product_id": 1, "quantity": "40"}]})),
        ),
        (
            "CargueCheck",
            written::<CheckRequest>(
                json!({"date": "2026-12-07", "product_id": 1, "v": true, "d": false}),
            ),
        ),
        (
            "CargueClose",
            written::<CloseShift>(json!({"date": "2026-12-07"})),
        ),
        ("Webhook", written::<WebhookView>(webhook)),
        (
            "WebhookInput",
            written::<WebhookInput>(
                json!({"url": "https://erp.example/hook", "events": ["sale_error"], "active": false}),
            ),
        ),
        (
            "WebhookSecret",
            written::<SecretView>(json!({"secret": "s"})),
        ),
        (
            "Delivery",
            written::<DeliveryView>(json!({
                "id": "0f1e", "webhook_id": 1, "event": "sale_synced", "status": "pending",
                "attempts": 1, "response_status": 500, "error": "e", "created_at": "t",
                "last_attempt_at": "t", "next_attempt_at": "t", "payload": {"id": "0f1e"}
            })),
        ),
    ]
}

#[test]
fn every_shared_wire_type_is_what_its_schema_documents() {
    let all = schemas::all();
    let mut found = Vec::new();
    for (name, value) in samples() {
        assert!(all.get(name).is_some(), "no schema named {name}");
        found.extend(departures(&all, &all[name], &value, name));
    }
    assert!(
        found.is_empty(),
        "schemas and wire types differ:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_sees_an_undocumented_key_a_missing_required_key_and_a_wrong_type() {
    let all = schemas::all();
    let mut token = json!({"id": 1, "device_id": null, "created_at": "t", "last_used_at": null,
                           "revoked": false, "extra": 1});
    let undocumented = departures(&all, &all["Token"], &token, "Token");
    assert_eq!(
        undocumented,
        vec!["Token: `extra` is written but not documented"]
    );
    token.as_object_mut().unwrap().remove("extra");
    token.as_object_mut().unwrap().remove("revoked");
    assert_eq!(departures(&all, &all["Token"], &token, "Token").len(), 1);
    token["revoked"] = json!("no");
    assert_eq!(departures(&all, &all["Token"], &token, "Token").len(), 1);
}
