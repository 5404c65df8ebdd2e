//! New sales of an upload stored together: one number-counter update, one
//! multi-row INSERT and one log append for all of them, instead of ~8
//! statements each.
//!
//! Only sales that pass every check and whose `local_id` is neither stored
//! nor repeated in the batch take this path; everything else (errors,
//! edits, duplicates, conflicts) keeps the per-sale path. The group is one
//! transaction of its own (on SQLite the group writer may merge several
//! uploads' groups into one, see `group_commit`). If any of its sales turns
//! out to be stored already (another request won the race) or any
//! statement fails, the transaction is rolled back, its numbers with it,
//! and each of its sales takes the per-sale path, which is what keeps a bad
//! sale from blocking the others. Correctness still comes from the
//! database: the counter row lock and the `local_id` unique constraint.
use super::catalog_snapshot::CatalogSnapshot;
use crate::clock;
use crate::db::Db;
use crate::services::audit::{self, Entry};
use crate::services::events::SyncEvent;
use crate::services::Actor;
use crate::store::{self, sales::AcceptedFields};
use chrono::{Datelike, Utc};
use chrono_tz::Tz;
use ruta_shared::audit::SyncAction;
use ruta_shared::sync::UploadResult;
use ruta_shared::validation;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A sale that passed every check and whose `local_id` is not stored.
pub struct ReadySale {
    /// Position in the request.
    pub index: usize,
    local_id: String,
    raw_text: String,
    device_id: Option<String>,
    created_at: Option<String>,
    fields: AcceptedFields,
}

/// `local_id`s sent more than once in one request: later copies depend on
/// the outcome of earlier ones, so they keep the ordered per-sale path.
pub fn repeated_keys(sales: &[Value]) -> HashSet<&str> {
    let mut seen = HashSet::new();
    let mut repeated = HashSet::new();
    for id in sales
        .iter()
        .filter_map(|s| s.get("local_id").and_then(Value::as_str))
    {
        if !seen.insert(id) {
            repeated.insert(id);
        }
    }
    repeated
}

/// `Some` when `raw` can be stored as a new accepted sale as it is.
pub fn candidate(
    index: usize,
    raw: &Value,
    catalog: &CatalogSnapshot,
    stored: &HashSet<String>,
    repeated: &HashSet<&str>,
) -> Option<ReadySale> {
    let sent = raw.get("local_id").and_then(Value::as_str)?;
    if repeated.contains(sent) {
        return None;
    }
    let key = validation::read_key(raw).ok()?;
    let local_id = key.to_string();
    if stored.contains(&local_id) || stored.contains(sent) {
        return None;
    }
    let draft = validation::parse_draft(raw, key).ok()?;
    validation::check_customer(&draft, catalog).ok()?;
    let content = validation::check_lines(&draft, catalog).ok()?;
    Some(ReadySale {
        index,
        local_id,
        raw_text: raw.to_string(),
        device_id: draft.device_id,
        created_at: draft.created_at.map(clock::format),
        fields: catalog.accepted_fields(&content),
    })
}

/// A stored new sale: its result and the event to publish after commit.
pub struct Stored {
    pub index: usize,
    pub result: UploadResult,
    pub event: SyncEvent,
}

/// The new sales of one upload, by their sender, and the log rows of its
/// duplicates (which change no sale, so they may share the transaction).
pub struct Group<'a> {
    pub actor: &'a Actor,
    pub sales: &'a [ReadySale],
    pub duplicates: &'a [Entry],
}

/// Stores the groups (one upload's, or several concurrent uploads' when
/// the SQLite writer merges them) all or nothing; `Ok(None)` when some
/// `local_id` was stored meanwhile (nothing is kept then). The answer has
/// one list per group, in order.
pub async fn store(
    db: &Db,
    timezone: Tz,
    groups: &[Group<'_>],
) -> Result<Option<Vec<Vec<Stored>>>, sqlx::Error> {
    let mut tx = db.write().begin().await?;
    let now = clock::now();
    let year = Utc::now().with_timezone(&timezone).year();
    let total: usize = groups.iter().map(|g| g.sales.len()).sum();
    let count = i64::try_from(total).unwrap_or(i64::MAX);
    let numbers = if total > 0 {
        store::sales::next_numbers(&mut tx, year, count).await?
    } else {
        Vec::new()
    };
    let mut rows = Vec::with_capacity(total);
    for g in groups {
        for f in g.sales {
            rows.push(store::sales::NewSale {
                local_id: &f.local_id,
                number: &numbers[rows.len()],
                fields: &f.fields,
                origin: store::sales::Origin {
                    user_id: g.actor.user_id,
                    seller_code: g.actor.seller_code.as_deref(),
                    device_id: f.device_id.as_deref(),
                    created_at: f.created_at.as_deref().unwrap_or(&now),
                    now: &now,
                    raw_payload: &f.raw_text,
                },
            });
        }
    }
    let inserted: HashMap<String, i64> = if rows.is_empty() {
        HashMap::new()
    } else {
        store::sales::insert_accepted_many(&mut tx, &**db, &rows)
            .await?
            .into_iter()
            .map(|(id, local_id)| (local_id, id))
            .collect()
    };
    if inserted.len() != total {
        // Dropping the transaction rolls back the rows and the numbers.
        return Ok(None);
    }
    let mut answer = Vec::with_capacity(groups.len());
    let mut log = Vec::with_capacity(total);
    let mut numbers = numbers.into_iter();
    for g in groups {
        let mut stored = Vec::with_capacity(g.sales.len());
        for f in g.sales {
            let (Some(&sale_id), Some(number)) = (inserted.get(&f.local_id), numbers.next()) else {
                return Ok(None);
            };
            log.push(audit::content(
                g.actor,
                SyncAction::CreateSale,
                Entry::sale(Some(sale_id), f.local_id.clone(), f.device_id.clone()),
            ));
            stored.push(Stored {
                index: f.index,
                result: UploadResult::success(
                    f.local_id.clone(),
                    sale_id,
                    Some(number.into_string()),
                    1,
                ),
                event: SyncEvent::SaleSynced {
                    sale_id,
                    local_id: f.local_id.clone(),
                    seller_code: g.actor.seller_code.clone(),
                    device_id: f.device_id.clone(),
                },
            });
        }
        log.extend(
            g.duplicates
                .iter()
                .map(|e| audit::content(g.actor, SyncAction::Duplicate, e.clone())),
        );
        answer.push(stored);
    }
    store::audit::append_many(&mut tx, &log, &**db).await?;
    tx.commit().await?;
    Ok(Some(answer))
}
