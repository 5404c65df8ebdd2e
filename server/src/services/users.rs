//! Users: creating them (admin API and `ruta user add`), resetting
//! passwords, and the lists the admin and dispatcher pages read.
use super::audit::{self, Entry};
use super::revocations;
use super::streams::Hub;
use super::{auth, Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::{is_unique_violation, Db};
use crate::store::{self, Page};
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::{valid_username, Role, SellerCode, UserView};
use ruta_shared::wire::users::{DeviceToken, Seller};
use serde_json::json;

pub const MIN_PASSWORD_CHARS: usize = 6;
pub const MAX_PASSWORD_CHARS: usize = 256;

pub use ruta_shared::wire::users::NewUser;

/// One page of users and how many there are in all.
pub async fn page(db: &Db, page: Page) -> ServiceResult<(i64, Vec<UserView>)> {
    let count = store::users::count(db.read()).await?;
    let rows = store::users::list(db.read(), page).await?;
    Ok((count, rows.iter().map(|u| u.view()).collect()))
}

/// The user a token belongs to (`None`: deleted since the token was read).
pub async fn by_id(db: &Db, id: i64) -> ServiceResult<Option<UserView>> {
    Ok(store::users::by_id(db.read(), id).await?.map(|u| u.view()))
}

/// A user's device tokens, revoked ones included.
pub async fn device_tokens(db: &Db, user_id: i64) -> ServiceResult<Vec<DeviceToken>> {
    let rows = store::tokens::of_user(db.read(), user_id).await?;
    Ok(rows
        .into_iter()
        .map(|t| DeviceToken {
            id: t.id,
            device_id: t.device_id,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

/// Every user with a seller code: whose trucks there are to load.
pub async fn sellers(db: &Db) -> ServiceResult<Vec<Seller>> {
    let rows = store::users::sellers(db.read()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|u| {
            Some(Seller {
                seller_code: u.seller_code?,
                username: u.username,
            })
        })
        .collect())
}

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
