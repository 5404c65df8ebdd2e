//! Creating users (admin API and `ruta user add`) and resetting passwords.
use super::audit::{self, Entry};
use super::revocations;
use super::streams::Hub;
use super::{auth, Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::{is_unique_violation, Db};
use crate::store;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::{valid_username, Role, SellerCode, UserView};
use serde_json::json;

pub const MIN_PASSWORD_CHARS: usize = 6;
pub const MAX_PASSWORD_CHARS: usize = 256;

pub use ruta_shared::wire::users::NewUser;

fn check_password(p: &str) -> ServiceResult<()> {
    let n = p.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        return Err(ServiceError::invalid(
            "password",
            format!(
                "password debe tener entre {MIN_PASSWORD_CHARS} y {MAX_PASSWORD_CHARS} caracteres"
            ),
        ));
    }
    Ok(())
}

pub async fn create(db: &Db, actor: &Actor, new: NewUser) -> ServiceResult<UserView> {
    if !valid_username(&new.username) {
        return Err(ServiceError::invalid(
            "username",
            "username debe tener 1 a 64 letras, dígitos, '.', '_', '-' o '@'",
        ));
    }
    check_password(&new.password)?;
    let seller_code = match (new.role, new.seller_code.as_deref()) {
        (Role::Seller, Some(code)) => Some(
            SellerCode::parse(code)
                .map_err(|e| ServiceError::invalid("seller_code", e.to_string()))?,
        ),
        (Role::Seller, None) => {
            return Err(ServiceError::invalid(
                "seller_code",
                "seller_code es requerido para vendedores",
            ))
        }
        (_, Some(_)) => {
            return Err(ServiceError::invalid(
                "seller_code",
                "seller_code solo aplica a vendedores",
            ))
        }
        (_, None) => None,
    };
    let hash = auth::hash_password(new.password).await?;
    let mut tx = db.write().begin().await?;
    let id = store::users::insert(
        &mut *tx,
        &new.username,
        &hash,
        new.role,
        seller_code.as_ref().map(SellerCode::as_str),
        &clock::now(),
    )
    .await
    .map_err(|e| {
        if !is_unique_violation(&e) {
            return ServiceError::Database(e);
        }
        if e.to_string().contains("seller_code") {
            ServiceError::invalid("seller_code", "seller_code ya existe")
        } else {
            ServiceError::invalid("username", "username ya existe")
        }
    })?;
    let detail = json!({
        "user_id": id, "username": new.username, "role": new.role,
        "seller_code": seller_code.as_ref().map(SellerCode::as_str),
    });
    audit::record(
        &mut tx,
        db,
        actor,
        SyncAction::UserCreate,
        Entry::about(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(UserView {
        id,
        username: new.username,
        role: new.role,
        seller_code,
    })
}

/// A new password, and every session of the user ended (a reset is what
/// an admin does when a phone or a password was lost): their tokens are
/// revoked and their open sockets closed, except the caller's own token.
pub async fn reset_password(
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    user_id: i64,
    password: String,
) -> ServiceResult<()> {
    check_password(&password)?;
    let hash = auth::hash_password(password).await?;
    let mut tx = db.write().begin().await?;
    if store::users::set_password(&mut *tx, user_id, &hash).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    let keep = actor.token_id.filter(|_| actor.user_id == user_id);
    let revoked = store::tokens::revoke_user(&mut *tx, user_id, keep, &clock::now()).await?;
    let username = store::users::by_id(&mut *tx, user_id)
        .await?
        .map(|u| u.username);
    let detail = json!({"user_id": user_id, "username": username, "tokens_revoked": revoked});
    audit::record(
        &mut tx,
        db,
        actor,
        SyncAction::PasswordReset,
        Entry::about(detail),
    )
    .await?;
    tx.commit().await?;
    revocations::announce(db, hub, &revoked).await;
    Ok(())
}
