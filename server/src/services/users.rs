//! Creating users (admin API and `ruta user add`) and resetting passwords.
use super::{auth, ServiceError, ServiceResult};
use crate::clock;
use crate::db::{is_unique_violation, Db};
use crate::store;
use ruta_shared::auth::{valid_username, Role, SellerCode, UserView};

pub const MIN_PASSWORD_CHARS: usize = 6;
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Debug, Clone, serde::Deserialize)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub seller_code: Option<String>,
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

pub async fn create(db: &Db, new: NewUser) -> ServiceResult<UserView> {
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
    let id = store::users::insert(
        db.write(),
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
    Ok(UserView {
        id,
        username: new.username,
        role: new.role,
        seller_code,
    })
}

pub async fn reset_password(db: &Db, user_id: i64, password: String) -> ServiceResult<()> {
    check_password(&password)?;
    let hash = auth::hash_password(password).await?;
    match store::users::set_password(db.write(), user_id, &hash).await? {
        0 => Err(ServiceError::NotFound),
        _ => Ok(()),
    }
}
