//! One module of SQL per aggregate. Every query binds its parameters;
//! nothing user-supplied is ever formatted into SQL text. Functions take
//! any executor, so services decide what runs inside one transaction. The
//! SQL is the same on both engines; where they differ (bind markers, row
//! locks) a function takes the engine, `&dyn crate::db::Storage`.
pub mod audit;
pub mod cargue;
pub mod catalog;
pub mod conflicts;
pub mod devices;
pub mod events;
pub mod sales;
pub mod settings;
pub mod settlements;
pub mod sync_config;
pub mod tokens;
pub mod users;
pub mod webhooks;

/// A page request already checked against the contract's bounds.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

/// A 0/1 flag column (sqlx's Any driver cannot decode SQLite booleans).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Flag(pub bool);

impl From<i64> for Flag {
    fn from(v: i64) -> Self {
        Flag(v != 0)
    }
}

pub type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;
