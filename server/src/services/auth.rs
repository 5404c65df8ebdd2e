//! Passwords (argon2id), API tokens (random, stored hashed) and logins
//! (through [`super::login_guard`]).
use super::audit::Entry;
use super::login_guard::{LoginGuard, Refusal};
use super::streams::Hub;
use super::{revocations, Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::{Role, TokenResponse};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Hashes off the async runtime: argon2 is deliberately slow.
pub async fn hash_password(password: String) -> ServiceResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("password hash: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("hash task: {e}")))?
}

/// Verifies against `hash`, or (for unknown users) against a throwaway hash
/// so that the response time does not reveal which usernames exist.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let Some(hash) = hash else {
            let _ = dummy_hash().map(|h| {
                PasswordHash::new(h)
                    .map(|p| Argon2::default().verify_password(password.as_bytes(), &p))
            });
            return false;
        };
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> Option<&'static str> {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(b"ruta-unknown-user", &salt)
                .map(|h| h.to_string())
                .ok()
        })
        .as_deref()
}

/// Is this token still good (not revoked)? A WebSocket asks before it
/// streams, and again when a revocation is announced.
pub async fn token_is_live(db: &Db, token_id: i64) -> Result<bool, sqlx::Error> {
    store::tokens::is_live(db.read(), token_id).await
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub enum LoginError {
    BadCredentials,
    Throttled(u64),
    /// Every password check slot stayed busy.
    Busy,
    Service(ServiceError),
}

impl From<Refusal> for LoginError {
    fn from(r: Refusal) -> Self {
        let (reason, error) = match r {
            Refusal::Throttled(wait) => ("throttled", Self::Throttled(wait)),
            Refusal::Busy => ("busy", Self::Busy),
        };
        crate::prometheus::login_refused(reason);
        error
    }
}

impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> Self {
        Self::Service(e.into())
    }
}

pub struct LoginRequest<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub device_id: Option<&'a str>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Checks the password and issues a token for (user, device), revoking the
/// device's previous token. A token without a device is a web token.
pub async fn login(
    db: &Db,
    hub: &Hub,
    guard: &LoginGuard,
    req: LoginRequest<'_>,
) -> Result<TokenResponse, LoginError> {
    let ip = req.ip.clone().unwrap_or_default();
    guard.admit(&ip, req.username)?;
    let user = store::users::by_username(db.read(), req.username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let password_ok = {
        let _slot = guard.check_slot().await?;
        verify_password(req.password.to_owned(), hash).await
    };
    let user = match user {
        Some(u) if password_ok && u.active.0 => u,
        known => {
            guard.failed(&ip, req.username);
            crate::prometheus::login_failed();
            log_failed_login(db, &req, known.map(|u| u.id)).await;
            return Err(LoginError::BadCredentials);
        }
    };
    guard.succeeded(&ip, req.username);
    let token = new_token();
    let now = clock::now();
    let mut tx = db.write().begin().await?;
    let replaced = match req.device_id {
        Some(device) => store::tokens::revoke_device(&mut *tx, user.id, device, &now).await?,
        None => Vec::new(),
    };
    let token_id =
        store::tokens::insert(&mut *tx, user.id, &token_hash(&token), req.device_id, &now).await?;
    let actor = Actor {
        user_id: user.id,
        username: user.username.clone(),
        role: user.role().unwrap_or(Role::Seller),
        seller_code: user.seller_code.clone(),
        token_id: Some(token_id),
        device_id: req.device_id.map(str::to_owned),
        ip: req.ip,
        user_agent: req.user_agent,
    };
    super::audit::record(&mut tx, db, &actor, SyncAction::Login, Default::default()).await?;
    tx.commit().await?;
    revocations::announce(db, hub, &replaced).await;
    Ok(TokenResponse {
        token,
        user: user.view(),
    })
}

/// A refused login on the system chain, under the name that was tried.
/// Failing to log it must not turn the refusal into a server error: the
/// answer stays 401 and the cause is traced.
async fn log_failed_login(db: &Db, req: &LoginRequest<'_>, user_id: Option<i64>) {
    let mut actor = Actor::system(req.username);
    actor.user_id = user_id.unwrap_or(super::SYSTEM_USER_ID);
    actor.device_id = req.device_id.map(str::to_owned);
    actor.ip = req.ip.clone();
    actor.user_agent = req.user_agent.clone();
    let entry = Entry::default().failed("Usuario o contraseña incorrectos");
    if let Err(e) = super::audit::record_alone(db, &actor, SyncAction::LoginFailed, entry).await {
        tracing::warn!(error = %e, "failed login not logged");
    }
}

/// Only refresh `last_used_at` this often: a write per request would
/// serialise every read behind SQLite's single writer.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

/// Resolves a presented token to its live owner: not revoked, its user
/// active, issued less than `ttl` ago.
pub async fn authenticate(db: &Db, token: &str, ttl: Duration) -> ServiceResult<Option<Actor>> {
    Ok(authenticate_until(db, token, ttl)
        .await?
        .map(|(actor, _)| actor))
}

/// [`authenticate`], with the moment the token expires (a WebSocket is
/// closed then).
pub async fn authenticate_until(
    db: &Db,
    token: &str,
    ttl: Duration,
) -> ServiceResult<Option<(Actor, DateTime<Utc>)>> {
    let Some(owner) = store::tokens::owner_of(db.read(), &token_hash(token)).await? else {
        return Ok(None);
    };
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX);
    // An unreadable issue time counts as expired: fail closed.
    let Some(expires_at) = clock::parse(&owner.created_at).and_then(|t| t.checked_add_signed(ttl))
    else {
        return Ok(None);
    };
    if expires_at <= Utc::now() {
        return Ok(None);
    }
    let stale = owner
        .last_used_at
        .as_deref()
        .and_then(clock::parse)
        .is_none_or(|t| chrono::Utc::now() - t > TOUCH_EVERY);
    if stale {
        store::tokens::touch(db.write(), owner.token_id, &clock::now()).await?;
    }
    let Some(role) = Role::parse(&owner.role) else {
        return Ok(None);
    };
    let actor = Actor {
        user_id: owner.user_id,
        username: owner.username,
        role,
        seller_code: owner.seller_code,
        token_id: Some(owner.token_id),
        device_id: owner.device_id,
        ip: None,
        user_agent: None,
    };
    Ok(Some((actor, expires_at)))
}

/// Revokes the caller's token, logs the logout and closes its sockets.
pub async fn logout(db: &Db, hub: &Hub, actor: &Actor) -> ServiceResult<()> {
    let Some(id) = actor.token_id else {
        return Ok(());
    };
    let mut tx = db.write().begin().await?;
    let revoked = store::tokens::revoke(&mut *tx, id, &clock::now()).await? > 0;
    let detail = json!({ "token_id": id });
    super::audit::record(&mut tx, db, actor, SyncAction::Logout, Entry::about(detail)).await?;
    tx.commit().await?;
    if revoked {
        revocations::announce(db, hub, &[id]).await;
    }
    Ok(())
}

/// An admin revokes one token (a lost phone): logged with whose token and
/// which device; its sockets are closed. False when there was no live
/// token with that id.
pub async fn revoke_by_admin(
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    token_id: i64,
) -> ServiceResult<bool> {
    let mut tx = db.write().begin().await?;
    if store::tokens::revoke(&mut *tx, token_id, &clock::now()).await? == 0 {
        return Ok(false);
    }
    let token = store::tokens::by_id(&mut *tx, token_id).await?;
    let detail = json!({
        "token_id": token_id,
        "user_id": token.as_ref().map(|t| t.user_id),
        "device_id": token.as_ref().and_then(|t| t.device_id.clone()),
    });
    super::audit::record(
        &mut tx,
        db,
        actor,
        SyncAction::TokenRevoke,
        Entry::about(detail),
    )
    .await?;
    tx.commit().await?;
    revocations::announce(db, hub, &[token_id]).await;
    Ok(true)
}
