//! Domain services: what the HTTP handlers (and the CLI) ask for, in the
//! terms of the business. They own transactions; the store modules own SQL.
pub mod audit;
pub mod auth;
pub mod backoff;
pub mod business;
pub mod cargue;
pub mod catalog;
pub mod conflicts;
pub mod demo;
pub mod devices;
pub mod events;
pub mod import;
pub mod login_guard;
pub mod office_sales;
pub mod overview;
pub mod presence;
pub mod report;
pub mod retry;
pub mod revocations;
pub mod sales;
pub mod settlement;
pub mod streams;
pub mod sync;
pub mod sync_config;
pub mod throttle;
pub mod users;
pub mod void;
pub mod webhooks;

/// A page's `limit`/`offset`, as the handlers read it and the store takes it.
pub use crate::store::Page;

use ruta_shared::auth::Role;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    Conflict(String),
    /// A catalog edit from a stale version that its strategy refuses.
    #[error("stale edit")]
    StaleEdit(Box<catalog::StaleEdit>),
    #[error("{0}")]
    Internal(String),
}

impl ServiceError {
    /// A database outage (not the request's fault, nor a bug): 503/507.
    pub fn is_outage(&self) -> bool {
        matches!(self, Self::Database(e) if crate::db::outage_of(e).is_some())
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Who is acting, from where: the authenticated caller plus the request's
/// client details, carried into every log row.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub seller_code: Option<String>,
    pub token_id: Option<i64>,
    /// The device of the token (absent for a web token).
    pub device_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The user id of [`Actor::system`]: no user row, logged as no user.
pub const SYSTEM_USER_ID: i64 = 0;

impl Actor {
    /// A tool acting with no user behind it (`ruta user add`, the demo
    /// loader): logged on the system chain under the tool's name.
    pub fn system(tool: &str) -> Self {
        Self {
            user_id: SYSTEM_USER_ID,
            username: tool.to_owned(),
            role: Role::Admin,
            seller_code: None,
            token_id: None,
            device_id: None,
            ip: None,
            user_agent: None,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}
