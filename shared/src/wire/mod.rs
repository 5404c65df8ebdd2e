//! Bodies that the server writes and the app reads, defined once so the
//! two cannot drift apart.
//!
//! - [`errors`]: the body of every answer that is not a per-record result.
//! - [`pending`]: a row of the pending list.
pub mod errors;
pub mod pending;

pub use errors::ErrorBody;
pub use pending::{FiscalStatus, PendingSale};
