//! Client services: device storage and the HTTP API. On the server they are
//! inert (nothing is stored, nothing is fetched), so pages render the same.
pub mod api;
pub mod cargue;
pub mod live;
pub mod network;
pub mod session;
pub mod storage;
