//! A seller's day settled: figures, the count, differences.
use super::*;

fn text() -> Value {
    json!({ "type": "string" })
}

fn text_or_null() -> Value {
    nullable("string")
}

pub(super) fn group() -> Vec<(&'static str, Value)> {
    vec![
        (
            "SettlementLine",
            json!({
                "type": "object",
                "required": ["product_id", "product", "loaded", "sold", "returned", "expected_left"],
                "properties": {
                    "product_id": { "type": "integer" },
                    "product": text(),
                    "loaded": text(),
                    "sold": text(),
                    "returned": text(),
                    "expected_left": text(),
                    "counted_left": text_or_null(),
                    "difference": text_or_null(),
                }
            }),
        ),
        (
            "Settlement",
            json!({
                "type": "object",
                "required": ["seller_code", "date", "state", "version", "lines", "payments",
                             "sales_count", "voided_count", "cash_expected", "late_sales", "unsynced"],
                "properties": {
                    "seller_code": text(),
                    "date": { "type": "string", "format": "date" },
                    "state": { "type": "string", "enum": ["open", "settled", "reopened"] },
                    "version": { "type": "integer", "minimum": 0 },
                    "lines": list_of("SettlementLine"),
                    "payments": {
                        "type": "object",
                        "required": ["cash", "transfer", "card", "credit", "total"],
                        "properties": {
                            "cash": decimal_out(), "transfer": decimal_out(), "card": decimal_out(),
                            "credit": decimal_out(), "total": decimal_out(),
                        }
                    },
                    "sales_count": { "type": "integer", "minimum": 0 },
                    "voided_count": { "type": "integer", "minimum": 0 },
                    "cash_expected": decimal_out(),
                    "cash_counted": text_or_null(),
                    "cash_difference": text_or_null(),
                    "settled_by": text_or_null(),
                    "settled_at": text_or_null(),
                    "reopened_by": text_or_null(),
                    "reopened_at": text_or_null(),
                    "reopen_reason": text_or_null(),
                    "late_sales": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["sale_id", "accepted_at"],
                            "properties": {
                                "sale_id": { "type": "integer" },
                                "number": text_or_null(),
                                "total": text_or_null(),
                                "accepted_at": text(),
                            }
                        }
                    },
                    "unsynced": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["device_id", "sales"],
                            "properties": {
                                "device_id": text(),
                                "name": text_or_null(),
                                "sales": { "type": "integer", "minimum": 0 },
                                "reported_unsynced": nullable("integer"),
                                "reported_at": text_or_null(),
                                "last_sync_at": text_or_null(),
                            }
                        }
                    },
                }
            }),
        ),
        ("SettlementVersions", list_of("Settlement")),
        (
            "DailyRow",
            json!({
                "type": "object",
                "required": ["date", "seller_code", "sales", "voided", "cash", "transfer", "card", "credit", "total"],
                "properties": {
                    "date": text(), "seller_code": text(),
                    "sales": { "type": "integer", "minimum": 0 },
                    "voided": { "type": "integer", "minimum": 0 },
                    "cash": decimal_out(), "transfer": decimal_out(), "card": decimal_out(),
                    "credit": decimal_out(), "total": decimal_out(),
                }
            }),
        ),
        (
            "DailyReport",
            json!({
                "type": "object",
                "required": ["from", "to", "rows", "totals"],
                "properties": {
                    "from": text(), "to": text(),
                    "rows": list_of("DailyRow"),
                    "totals": reference("DailyRow"),
                }
            }),
        ),
        (
            "SettleBody",
            json!({
                "type": "object",
                "required": ["lines", "cash_counted"],
                "properties": {
                    "date": { "type": "string", "format": "date" },
                    "lines": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["product_id", "left"],
                            "properties": { "product_id": { "type": "integer" }, "left": text() }
                        }
                    },
                    "cash_counted": text(),
                    "version": { "type": "integer", "minimum": 0 },
                }
            }),
        ),
        (
            "OfficeSalePage",
            json!({
                "type": "object",
                "required": ["results", "next_cursor"],
                "properties": { "results": list_of("Sale"), "next_cursor": text_or_null() }
            }),
        ),
        (
            "SaleHistory",
            json!({
                "type": "object",
                "required": ["sale", "versions", "log"],
                "properties": {
                    "sale": reference("Sale"),
                    "versions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["version", "content", "superseded_at"],
                            "properties": {
                                "version": { "type": "integer" },
                                "content": { "type": "object" },
                                "superseded_at": text(),
                            }
                        }
                    },
                    "log": list_of("LogRow"),
                }
            }),
        ),
        (
            "DeviceName",
            json!({
                "type": "object",
                "required": ["device_id", "name"],
                "properties": { "device_id": text(), "name": text_or_null() }
            }),
        ),
        (
            "BusinessProfile",
            json!({
                "type": "object",
                "required": ["name", "tax_id"],
                "properties": {
                    "name": { "type": "string", "maxLength": 200, "description": "required (non-blank) when saved" },
                    "tax_id": { "type": "string", "maxLength": 200, "description": "required (non-blank) when saved" },
                    "address": { "type": "string", "maxLength": 200 },
                    "phone": { "type": "string", "maxLength": 200 },
                    "receipt_footer": { "type": "string", "maxLength": 200 },
                }
            }),
        ),
        (
            "DeviceRename",
            json!({
                "type": "object",
                "required": ["name"],
                "properties": { "name": { "type": "string", "minLength": 1, "maxLength": 60 } }
            }),
        ),
        (
            "VoidBody",
            json!({
                "type": "object",
                "required": ["reason"],
                "properties": { "reason": { "type": "string", "minLength": 1, "maxLength": 500 } }
            }),
        ),
        (
            "ReopenBody",
            json!({
                "type": "object",
                "required": ["reason"],
                "properties": {
                    "date": { "type": "string", "format": "date" },
                    "reason": { "type": "string", "minLength": 1, "maxLength": 500 },
                }
            }),
        ),
    ]
}
