//! The server's integration suite: every test runs against a real server
//! on port 0, once on a fresh SQLite file and once on a fresh PostgreSQL
//! database (both removed afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod admin;
mod admin_log;
mod auth;
mod authz;
mod backup;
mod bad_input;
mod behind_nginx;
mod cargue;
mod catalog;
mod cli;
mod concurrency;
mod conflicts;
mod faults;
mod https;
mod json_logs;
mod limits;
mod log;
mod metrics;
mod page_settings;
mod retry;
mod route_day;
mod scale_out;
mod security_headers;
mod seed_plan;
mod serve_child;
mod settlement;
mod shutdown;
mod storage;
mod upload;
mod webhooks;
mod webhooks_egress;
mod ws_revoke;
