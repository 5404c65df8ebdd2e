//! Every request and response body that the server writes and the app
//! reads (or the other way round), defined once so the two cannot drift.
//!
//! - [`errors`]: the body of every answer that is not a per-record result.
//! - [`pages`]: offset pages (the contract's lists) and cursor pages.
//! - [`sales`]: one sale's sync status, resolutions, single-sale answers.
//! - [`pending`]: a row of the pending list.
//! - [`phone_sale`]: the sale as the phone queues it in its outbox and uploads it.
//! - [`cargue`]: truck sheets, their checks and their stream events.
//! - [`admin`]: the audit log, retries, CSV imports, the sync rate.
//! - [`users`]: users, device tokens, sellers.
//! - [`webhooks`]: subscriptions and deliveries.
//! - [`sync_config`]: strategies and critical flags, and the upload order.
//! - [`office`]: the office's sale list and a sale's history.
//! - [`settlement`]: a seller's day settled: figures, counts, differences.
//! - [`business`]: the business's name and tax id, as receipts print them.
//!
//! Older homes of wire types stay where they were: the upload itself in
//! [`crate::sync`], sale views in [`crate::sale`], catalog records in
//! [`crate::catalog`], the dashboard in [`crate::admin`], login in
//! [`crate::auth`].
pub mod admin;
pub mod business;
pub mod cargue;
pub mod errors;
pub mod office;
pub mod pages;
pub mod pending;
pub mod phone_sale;
pub mod sales;
pub mod settlement;
pub mod sync_config;
pub mod users;
pub mod webhooks;

pub use errors::ErrorBody;
pub use pages::{CursorPage, Page};
pub use pending::{FiscalStatus, PendingSale};
pub use sync_config::{EntitySettings, SyncConfig};
