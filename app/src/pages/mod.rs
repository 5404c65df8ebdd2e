pub mod access;
pub mod cargue;
pub mod home;
pub mod login;
pub mod my_cargue;
pub mod not_found;
