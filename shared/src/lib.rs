//! Ruta's rulebook, shared by the server and the WASM client.
//!
//! Everything here is pure: no IO, no async runtime, no database or browser
//! types. The server validates uploads with exactly the code the seller's
//! phone uses to show totals and errors before saving, so both always agree.
//!
//! - [`money`]: exact decimal amounts, quantities, percentages and line math.
//! - [`local_id`]: the client-generated sale key.
//! - [`locale`]: numbers typed and shown in the UI's language.
//! - [`sale`]: the sale as authored by a seller, its canonical content.
//! - [`validation`]: the contract's checks, in order, with its messages.
//! - [`conflict`]: differing fields, strategies, resolutions and merge.
//! - [`sync`]: per-sale upload results and their summary.
//! - [`planner`]: the offline client's pure sync decisions.
//! - `import` (feature `import`): CSV import rows, checked.
//! - [`live`]: what the live (WebSocket) streams send, as a client reads it.
//! - [`day`]: the seller's day on the phone, with the settlement's figures.
//! - [`catalog`], [`auth`], [`audit`], [`webhook`]: the other wire types.
//! - [`wire`]: bodies written by the server and read by the app (errors).

pub mod admin;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod conflict;
pub mod day;
#[cfg(feature = "import")]
pub mod import;
pub mod live;
pub mod local_id;
pub mod locale;
pub mod money;
pub mod planner;
pub mod report;
pub mod sale;
pub mod sale_number;
pub mod settlement;
pub mod sync;
pub mod validation;
pub mod void;
pub mod webhook;
pub mod wire;

pub use local_id::LocalId;
pub use money::{Money, Percentage, Quantity};
