//! Client services: device storage, the HTTP API, the sync engine. On the
//! server they are inert (nothing is stored, nothing is fetched), so pages
//! render the same.
pub mod admin;
pub mod api;
pub mod cargue;
pub mod catalog;
pub mod files;
pub mod idb;
pub mod live;
pub mod network;
pub mod outbox;
pub mod platform;
pub mod pwa;
pub mod sale_form;
pub mod session;
pub mod storage;
pub mod sync;
