//! The offline client's sync decisions, as a pure function of its outbox
//! and the server's answers (no IO, tested without a browser).
//!
//! Rules: only the server's word marks a sale synced; a sale the server did
//! not answer for stays pending (a lost response is safe to repeat, keys are
//! client UUIDs); failures back off exponentially with jitter, and a 429's
//! `Retry-After` is honoured.
use crate::conflict::ConflictInfo;
use crate::sync::{ResultStatus, UploadResult};
use serde::{Deserialize, Serialize};

/// Where a sale in the phone's outbox stands. Stored on the phone as an
/// internally tagged object (`{"state": "synced", "sale_id": …}`); read
/// back through [`StoredState`], which takes the same JSON without serde's
/// buffering of tagged enums, which the phone's WASM would carry
/// (docs/wasm-size.md; the figure is in BENCHMARKS.md "WASM size").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", try_from = "StoredState")]
pub enum LocalState {
    /// Saved on the phone, not yet confirmed by the server.
    Pending,
    Synced {
        sale_id: i64,
        number: Option<String>,
        version: i64,
    },
    Error {
        sale_id: Option<i64>,
        message: String,
    },
    Conflict {
        sale_id: i64,
        conflict: ConflictInfo,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StateName {
    Pending,
    Synced,
    Error,
    Conflict,
}

/// [`LocalState`]'s stored form, every variant's fields side by side.
#[derive(Deserialize)]
struct StoredState {
    state: StateName,
    sale_id: Option<i64>,
    number: Option<String>,
    version: Option<i64>,
    message: Option<String>,
    conflict: Option<ConflictInfo>,
}

impl TryFrom<StoredState> for LocalState {
    type Error = &'static str;

    fn try_from(s: StoredState) -> Result<Self, &'static str> {
        Ok(match s.state {
            StateName::Pending => LocalState::Pending,
            StateName::Synced => LocalState::Synced {
                sale_id: s.sale_id.ok_or("a synced sale needs its sale_id")?,
                number: s.number,
                version: s.version.ok_or("a synced sale needs its version")?,
            },
            StateName::Error => LocalState::Error {
                sale_id: s.sale_id,
                message: s.message.ok_or("an error needs its message")?,
            },
            StateName::Conflict => LocalState::Conflict {
                sale_id: s.sale_id.ok_or("a conflict needs its sale_id")?,
                conflict: s.conflict.ok_or("a conflict needs its details")?,
            },
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub local_id: String,
    pub state: LocalState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Upload these local ids in one request.
    Upload(Vec<String>),
    /// Nothing to do before this time (ms since the epoch).
    WaitUntil(u64),
    Idle,
}

pub const MAX_BATCH: usize = 100;

/// What to do now.
pub fn plan(
    outbox: &[OutboxItem],
    online: bool,
    now_ms: u64,
    not_before_ms: u64,
    max_batch: usize,
) -> Vec<Operation> {
    if !online {
        return vec![Operation::Idle];
    }
    let pending: Vec<String> = outbox
        .iter()
        .filter(|i| i.state == LocalState::Pending)
        .map(|i| i.local_id.clone())
        .collect();
    if pending.is_empty() {
        return vec![Operation::Idle];
    }
    if now_ms < not_before_ms {
        return vec![Operation::WaitUntil(not_before_ms)];
    }
    pending
        .chunks(max_batch.max(1))
        .map(|c| Operation::Upload(c.to_vec()))
        .collect()
}

/// The new state the server's result gives a sale.
pub fn state_after(result: &UploadResult) -> LocalState {
    match (result.status, result.sale_id, &result.conflict) {
        (ResultStatus::Success, Some(sale_id), _) => LocalState::Synced {
            sale_id,
            number: result.sale_number.clone(),
            version: result.version.unwrap_or(1),
        },
        (ResultStatus::Conflict, Some(sale_id), Some(conflict)) => LocalState::Conflict {
            sale_id,
            conflict: conflict.clone(),
        },
        (ResultStatus::Error, sale_id, _) => LocalState::Error {
            sale_id,
            message: result.error.clone().unwrap_or_default(),
        },
        // A malformed answer proves nothing: keep the sale pending.
        _ => LocalState::Pending,
    }
}

/// Applies a batch's results; sales the server did not mention stay as
/// they were. Returns how many changed state.
pub fn apply(outbox: &mut [OutboxItem], results: &[UploadResult]) -> usize {
    let mut changed = 0;
    for r in results {
        if let Some(item) = outbox.iter_mut().find(|i| i.local_id == r.local_id) {
            let next = state_after(r);
            if next != LocalState::Pending && next != item.state {
                item.state = next;
                changed += 1;
            }
        }
    }
    changed
}

/// When to try again after `failures` failed requests in a row: 1 s, 2 s,
/// 4 s … capped at 5 minutes, scaled by `jitter` in [0.5, 1.5), and never
/// before the server's `Retry-After`.
pub fn next_attempt(now_ms: u64, failures: u32, retry_after_s: Option<u64>, jitter: f64) -> u64 {
    let base_ms = 1_000u64
        .saturating_mul(1u64 << failures.min(9))
        .min(300_000);
    let backoff = (base_ms as f64 * jitter.clamp(0.5, 1.5)) as u64;
    let server = retry_after_s.unwrap_or(0).saturating_mul(1_000);
    now_ms.saturating_add(backoff.max(server))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn conflict() -> ConflictInfo {
        ConflictInfo {
            server_version: 3,
            client_version: 2,
            fields: vec![crate::conflict::ConflictField::Notes],
            server: json!({"notes": "a"}),
            client: json!({"notes": "b"}),
        }
    }

    #[test]
    fn local_states_keep_their_stored_json() {
        let cases = [
            (LocalState::Pending, json!({"state": "pending"})),
            (
                LocalState::Synced {
                    sale_id: 7,
                    number: Some("VTA-2026-00007".into()),
                    version: 2,
                },
                json!({"state": "synced", "sale_id": 7, "number": "VTA-2026-00007", "version": 2}),
            ),
            (
                LocalState::Synced {
                    sale_id: 7,
                    number: None,
                    version: 1,
                },
                json!({"state": "synced", "sale_id": 7, "number": null, "version": 1}),
            ),
            (
                LocalState::Error {
                    sale_id: None,
                    message: "Cliente no encontrado".into(),
                },
                json!({"state": "error", "sale_id": null, "message": "Cliente no encontrado"}),
            ),
            (
                LocalState::Conflict {
                    sale_id: 9,
                    conflict: conflict(),
                },
                json!({"state": "conflict", "sale_id": 9, "conflict": serde_json::to_value(conflict()).unwrap()}),
            ),
        ];
        for (state, stored) in cases {
            assert_eq!(serde_json::to_value(&state).unwrap(), stored);
            let read: LocalState = serde_json::from_value(stored).unwrap();
            assert_eq!(read, state);
        }
        // A missing optional field reads as none, and unknown fields are
        // ignored, as with serde's own tagged form.
        let read: LocalState =
            serde_json::from_str(r#"{"state":"synced","sale_id":1,"version":1,"extra":true}"#)
                .unwrap();
        assert_eq!(
            read,
            LocalState::Synced {
                sale_id: 1,
                number: None,
                version: 1
            }
        );
    }

    #[test]
    fn an_incomplete_stored_state_is_refused() {
        for bad in [
            r#"{"state":"synced","version":1}"#,
            r#"{"state":"synced","sale_id":1}"#,
            r#"{"state":"error"}"#,
            r#"{"state":"conflict","sale_id":1}"#,
            r#"{"state":"lost"}"#,
            r#"{"sale_id":1}"#,
        ] {
            assert!(serde_json::from_str::<LocalState>(bad).is_err(), "{bad}");
        }
    }

    fn pending(n: usize) -> Vec<OutboxItem> {
        (0..n)
            .map(|i| OutboxItem {
                local_id: format!("id-{i}"),
                state: LocalState::Pending,
            })
            .collect()
    }

    #[test]
    fn offline_or_empty_does_nothing_and_backoff_waits() {
        assert_eq!(plan(&pending(3), false, 0, 0, 100), vec![Operation::Idle]);
        assert_eq!(plan(&[], true, 0, 0, 100), vec![Operation::Idle]);
        assert_eq!(
            plan(&pending(1), true, 10, 50, 100),
            vec![Operation::WaitUntil(50)]
        );
    }

    #[test]
    fn results_move_states_and_silence_keeps_pending() {
        let mut outbox = pending(3);
        let results = vec![
            UploadResult::success("id-0".into(), 1, Some("VTA-2026-00001".into()), 1),
            UploadResult::error("id-1".into(), Some(2), "Customer con id=9 no existe".into()),
        ];
        assert_eq!(apply(&mut outbox, &results), 2);
        assert!(matches!(
            outbox[0].state,
            LocalState::Synced { sale_id: 1, .. }
        ));
        assert!(matches!(outbox[1].state, LocalState::Error { .. }));
        assert_eq!(outbox[2].state, LocalState::Pending);
        assert_eq!(
            plan(&outbox, true, 0, 0, 100),
            vec![Operation::Upload(vec!["id-2".into()])]
        );
    }

    #[test]
    fn retry_after_is_honoured() {
        assert_eq!(next_attempt(0, 0, Some(30), 1.0), 30_000);
        assert_eq!(next_attempt(0, 3, None, 1.0), 8_000);
        assert_eq!(next_attempt(0, 30, None, 1.0), 300_000);
    }

    proptest! {
        #[test]
        fn batches_cover_every_pending_sale_once(n in 0usize..500, max in 1usize..150) {
            let ops = plan(&pending(n), true, 0, 0, max);
            let mut seen = Vec::new();
            for op in ops {
                if let Operation::Upload(ids) = op {
                    prop_assert!(ids.len() <= max);
                    seen.extend(ids);
                }
            }
            prop_assert_eq!(seen.len(), n);
            seen.sort();
            seen.dedup();
            prop_assert_eq!(seen.len(), n);
        }

        #[test]
        fn only_a_success_result_marks_synced(statuses in proptest::collection::vec(0u8..4, 1..40)) {
            let mut outbox = pending(statuses.len());
            let results: Vec<UploadResult> = statuses.iter().enumerate().filter_map(|(i, s)| {
                let id = format!("id-{i}");
                match s {
                    0 => Some(UploadResult::success(id, i as i64, None, 1)),
                    1 => Some(UploadResult::error(id, None, "x".into())),
                    2 => None, // no answer for this one
                    _ => Some(UploadResult { sale_id: None, ..UploadResult::success(id, 0, None, 1) }),
                }
            }).collect();
            apply(&mut outbox, &results);
            for (i, item) in outbox.iter().enumerate() {
                let synced = matches!(item.state, LocalState::Synced { .. });
                prop_assert_eq!(synced, statuses[i] == 0);
            }
        }

        #[test]
        fn backoff_is_monotone_in_failures_and_bounded(f in 0u32..40) {
            let a = next_attempt(0, f, None, 1.0);
            let b = next_attempt(0, f + 1, None, 1.0);
            prop_assert!(a <= b);
            prop_assert!(b <= 300_000);
        }
    }
}
