//! One module of SQL per aggregate. Every query binds its parameters;
//! nothing user-supplied is ever formatted into SQL text. Functions take
//! any executor, so services decide what runs inside one transaction.
pub mod audit;
pub mod catalog;
pub mod conflicts;
pub mod sales;
pub mod sync_config;
pub mod tokens;
pub mod users;

/// A page request already checked against the contract's bounds.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
