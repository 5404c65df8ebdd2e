//! Device names: an admin names a device ("Tablet camión 3"); the
//! dashboard shows the name instead of the id, and the device's own seller
//! can read it.
use super::audit::{self, Entry};
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::validation::MAX_DEVICE_ID_CHARS;
use ruta_shared::wire::users::DeviceName;
use serde_json::json;

pub const MAX_NAME_CHARS: usize = 60;

fn checked_id(device_id: &str) -> ServiceResult<&str> {
    let id = device_id.trim();
    if id.is_empty() || id.chars().count() > MAX_DEVICE_ID_CHARS {
        return Err(ServiceError::invalid(
            "device_id",
            format!("device_id: de 1 a {MAX_DEVICE_ID_CHARS} caracteres"),
        ));
    }
    Ok(id)
}

/// An admin reads any device's name; a seller only a device they signed
/// in from.
pub async fn name(db: &Db, actor: &Actor, device_id: &str) -> ServiceResult<DeviceName> {
    let id = checked_id(device_id)?;
    match actor.role {
        Role::Admin => {}
        Role::Dispatcher => return Err(ServiceError::Forbidden),
        Role::Seller => {
            if !store::devices::is_users_device(db.read(), actor.user_id, id).await? {
                return Err(ServiceError::NotFound);
            }
        }
    }
    Ok(DeviceName {
        device_id: id.to_owned(),
        name: store::devices::name_of(db.read(), id).await?,
    })
}

pub async fn rename(
    db: &Db,
    actor: &Actor,
    device_id: &str,
    name: &str,
) -> ServiceResult<DeviceName> {
    if actor.role != Role::Admin {
        return Err(ServiceError::Forbidden);
    }
    let id = checked_id(device_id)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::invalid(
            "name",
            format!("name: de 1 a {MAX_NAME_CHARS} caracteres"),
        ));
    }
    let now = clock::now();
    let mut tx = db.write().begin().await?;
    let before = store::devices::name_of(&mut *tx, id).await?;
    store::devices::set_name(&mut tx, id, name, &actor.username, &now).await?;
    let entry = Entry {
        device_id: Some(id.to_owned()),
        detail: Some(json!({"device_id": id, "name": name, "before": before})),
        ..Entry::default()
    };
    audit::record(&mut tx, db, actor, SyncAction::DeviceRename, entry).await?;
    tx.commit().await?;
    Ok(DeviceName {
        device_id: id.to_owned(),
        name: Some(name.to_owned()),
    })
}
