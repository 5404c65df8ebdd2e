//! The server's integration suite: every test runs against a real server
//! on port 0, once on a fresh SQLite file and once on a fresh PostgreSQL
//! database (both removed afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod admin;
mod auth;
mod backup;
mod bad_input;
mod cargue;
mod catalog;
mod cli;
mod concurrency;
mod conflicts;
mod json_logs;
mod log;
mod retry;
mod scale_out;
mod seed_plan;
mod storage;
mod upload;
mod webhooks;
