//! Bodies that the server writes and the app reads, defined once so the
//! two cannot drift apart.
//!
//! - [`errors`]: the body of every answer that is not a per-record result.
//! - [`pending`]: a row of the pending list.
//! - [`sync_config`]: strategies and critical flags, and the upload order.
pub mod errors;
pub mod pending;
pub mod sync_config;

pub use errors::ErrorBody;
pub use pending::{FiscalStatus, PendingSale};
pub use sync_config::{EntitySettings, SyncConfig};
