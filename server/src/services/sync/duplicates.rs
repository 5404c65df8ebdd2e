//! Duplicates found before any transaction: a phone that lost the answer to
//! a batch sends it again, and those sales need neither a write nor (for the
//! very same bytes) the catalog. Both checks read the batch's accepted keys,
//! loaded once; anything they do not recognise takes the transactional path,
//! which checks again under the row lock.
use super::catalog_snapshot::{CatalogSnapshot, WithRetired};
use crate::services::audit::Entry;
use crate::services::Actor;
use crate::store;
use ruta_shared::sync::UploadResult;
use ruta_shared::validation;
use serde_json::Value;
use std::collections::HashMap;

/// The batch's accepted sales, by `local_id`.
pub type AcceptedKeys = HashMap<String, store::sales::AcceptedKey>;

/// The same bytes as the upload that was accepted, by its owner.
pub fn exact_retry(
    actor: &Actor,
    raw: &Value,
    known: &AcceptedKeys,
) -> Option<(UploadResult, Entry)> {
    let local_id = raw.get("local_id").and_then(Value::as_str)?;
    let stored = known.get(local_id).filter(|k| k.user_id == actor.user_id)?;
    // Compared as serialized text: `String == Value` would compare against a
    // JSON string value, not the document.
    let text = raw.to_string();
    (stored.raw_payload == text).then(|| {
        let device = raw
            .get("device_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (
            UploadResult::duplicate(
                local_id.to_owned(),
                stored.id,
                stored.number.clone(),
                stored.version,
            ),
            Entry::sale(Some(stored.id), local_id, device),
        )
    })
}

/// A re-upload of exactly the current accepted content, by its owner: a
/// duplicate whatever happens concurrently, because accepted versions are
/// never removed. Anything else (older versions, edits, errors) takes the
/// transactional path.
pub fn duplicate_of_accepted(
    actor: &Actor,
    raw: &Value,
    known: &AcceptedKeys,
    catalog: &CatalogSnapshot,
) -> Option<(UploadResult, Entry)> {
    let key = validation::read_key(raw).ok()?;
    let local_id = key.to_string();
    let stored = known
        .get(&local_id)
        .filter(|k| k.user_id == actor.user_id)?;
    let draft = validation::parse_draft(raw, key).ok()?;
    let content = validation::check_lines(&draft, &WithRetired(catalog)).ok()?;
    (content.content_hash() == stored.content_hash).then(|| {
        (
            UploadResult::duplicate(
                local_id.clone(),
                stored.id,
                stored.number.clone(),
                stored.version,
            ),
            Entry::sale(Some(stored.id), local_id, draft.device_id),
        )
    })
}
