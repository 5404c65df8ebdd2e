//! `GET /health`: is the server up and can it reach its database?
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn health(State(st): State<AppState>) -> (StatusCode, Json<Value>) {
    if st.db.ping().await {
        (StatusCode::OK, Json(json!({ "status": "ok", "db": "ok" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "error", "db": "error" })),
        )
    }
}
