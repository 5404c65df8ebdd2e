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
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// A report is stored again when it changes, or when the stored one is
/// this old (so "reported at" stays fresh for a phone that keeps asking).
const REPORT_REFRESH: Duration = Duration::from_secs(60);

/// The last outbox count stored per device, by this instance.
#[derive(Default)]
pub struct OutboxReports(Mutex<HashMap<String, (i64, Instant)>>);

impl OutboxReports {
    /// Whether `unsynced` from `device_id` needs storing; marks it stored.
    fn take(&self, device_id: &str, unsynced: i64) -> bool {
        let Ok(mut last) = self.0.lock() else {
            return true;
        };
        let now = Instant::now();
        let fresh = last
            .get(device_id)
            .is_some_and(|(n, at)| *n == unsynced && now.duration_since(*at) < REPORT_REFRESH);
        if !fresh {
            last.insert(device_id.to_owned(), (unsynced, now));
        }
        !fresh
    }

    fn forget(&self, device_id: &str) {
        if let Ok(mut last) = self.0.lock() {
            last.remove(device_id);
        }
    }
}

/// Keeps what a phone (a caller with a device token) said its outbox holds.
/// A failure to store it is logged, never the request's failure.
pub async fn note_outbox(db: &Db, reports: &OutboxReports, actor: &Actor, unsynced: u32) {
    let Some(device_id) = actor.device_id.as_deref() else {
        return;
    };
    let unsynced = i64::from(unsynced);
    if !reports.take(device_id, unsynced) {
        return;
    }
    let stored = store::devices::report_outbox(
        db.write(),
        device_id,
        actor.user_id,
        unsynced,
        &clock::now(),
    )
    .await;
    if let Err(e) = stored {
        reports.forget(device_id);
        tracing::warn!(error = %e, device_id, "outbox report not stored");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_stored_when_it_changes_and_not_when_repeated() {
        let reports = OutboxReports::default();
        assert!(reports.take("tab", 3));
        assert!(!reports.take("tab", 3));
        assert!(reports.take("tab", 0));
        assert!(reports.take("phone", 0));
        reports.forget("tab");
        assert!(reports.take("tab", 0));
    }
}
