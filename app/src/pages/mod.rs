pub mod access;
pub mod admin;
pub mod cargue;
pub mod conflict;
// Hydrated by the office bundle only (`crate::bundle`).
#[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
pub mod day;
pub mod elsewhere;
pub mod home;
pub mod login;
pub mod my_cargue;
pub mod not_found;
pub mod sale_edit;
pub mod sales;
