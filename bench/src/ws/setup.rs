//! The fixture: admin and dispatcher tokens, ten sellers (the demo's ID1–ID3
//! plus ID4–ID10 created through the users API) and today's sheet for each,
//! with a few planned lines.
use crate::load::token;
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

pub const PASSWORD: &str = "ruta2026";

pub struct Sheet {
    pub code: String,
    pub date: String,
    pub products: Vec<i64>,
}

pub struct Fixture {
    pub admin: String,
    pub dispatcher: String,
    pub sheets: Vec<Sheet>,
}

async fn ok_json(r: reqwest::Response, what: &str) -> Result<Value> {
    let status = r.status();
    let body = r.text().await?;
    if !status.is_success() {
        bail!("{what}: HTTP {status}: {body}");
    }
    serde_json::from_str(&body).with_context(|| format!("{what}: not JSON: {body}"))
}

/// Logs in, creates the missing sellers and plans `lines` products on each
/// of `sellers` sheets for today (the server's date).
pub async fn prepare(base: &str, sellers: usize, lines: usize) -> Result<Fixture> {
    let client = reqwest::Client::new();
    let admin = token(&client, base, "admin", PASSWORD, Some("BENCH-WS-ADMIN")).await?;
    let dispatcher = token(
        &client,
        base,
        "despacho",
        PASSWORD,
        Some("BENCH-WS-DESPACHO"),
    )
    .await?;
    let auth = |t: &str| format!("Token {t}");
    // The demo has ID1..ID3; the contract lets an admin create sellers.
    for n in 4..=sellers {
        let r = client
            .post(format!("{base}/api/v1/users/"))
            .header("Authorization", auth(&admin))
            .json(
                &json!({"username": format!("vendedor{n}"), "password": PASSWORD,
                          "role": "seller", "seller_code": format!("ID{n}")}),
            )
            .send()
            .await?;
        ok_json(r, "create seller").await?;
    }
    let r = client
        .get(format!("{base}/api/v1/products/?limit={lines}"))
        .header("Authorization", auth(&admin))
        .send()
        .await?;
    let products: Vec<i64> = ok_json(r, "list products").await?["results"]
        .as_array()
        .context("no products")?
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    if products.len() < lines {
        bail!("the demo has only {} products", products.len());
    }
    let planned: Vec<Value> = products
        .iter()
        .map(|id| json!({"product_id": id, "quantity": "40"}))
        .collect();
    let mut sheets = Vec::with_capacity(sellers);
    for n in 1..=sellers {
        let code = format!("ID{n}");
        let r = client
            .put(format!("{base}/api/v1/cargue/{code}/"))
            .header("Authorization", auth(&dispatcher))
            .json(&json!({ "lines": planned }))
            .send()
            .await?;
        let sheet = ok_json(r, "plan sheet").await?;
        sheets.push(Sheet {
            code,
            date: sheet["date"]
                .as_str()
                .context("sheet without date")?
                .to_owned(),
            products: products.clone(),
        });
    }
    Ok(Fixture {
        admin,
        dispatcher,
        sheets,
    })
}

/// The stream's latest `seq` for a sheet, as the server reports it.
pub async fn latest_seq(base: &str, admin: &str, sheet: &Sheet) -> Result<i64> {
    let r = reqwest::Client::new()
        .get(format!(
            "{base}/api/v1/cargue/{}/?date={}",
            sheet.code, sheet.date
        ))
        .header("Authorization", format!("Token {admin}"))
        .send()
        .await?;
    ok_json(r, "read sheet").await?["seq"]
        .as_i64()
        .context("sheet without seq")
}
