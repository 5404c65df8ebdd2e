//! Per-user request budget for the sync endpoints: a token bucket (GCRA)
//! holding `requests` tokens, refilled one every `window / requests`. A
//! seller who spends the whole budget at once waits one refill interval
//! (72 s at 50/hour) for the next request, not the rest of a fixed window.
//!
//! Kept in memory: with several instances each enforces the budget on the
//! requests it sees (documented in docs/api.md). The limit itself comes
//! from the configuration unless an admin saved one in the database,
//! which every instance re-reads periodically.
use crate::clock;
use crate::config::RateLimit;
use crate::db::Db;
use crate::store::settings;
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// How often an instance picks up a limit saved by another one.
const FOLLOW_EVERY: Duration = Duration::from_secs(30);

pub struct Throttle {
    limit: RwLock<RateLimit>,
    /// Per user, the theoretical arrival time: when the bucket would be
    /// full again. A user whose time is past holds a full bucket.
    buckets: Mutex<HashMap<i64, Instant>>,
}

/// Past this many users the map drops the ones whose bucket is full again.
const PRUNE_ABOVE: usize = 10_000;

impl Throttle {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit: RwLock::new(limit),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
            .read()
            .map(|l| *l)
            .unwrap_or_else(|poisoned| *poisoned.into_inner())
    }

    pub fn set_limit(&self, limit: RateLimit) {
        match self.limit.write() {
            Ok(mut l) => *l = limit,
            Err(poisoned) => *poisoned.into_inner() = limit,
        }
    }

    /// `Err(seconds)` when the user is over budget: the time until one
    /// token is back, rounded up.
    pub fn check(&self, user_id: i64) -> Result<(), u64> {
        self.check_at(user_id, Instant::now())
    }

    fn check_at(&self, user_id: i64, now: Instant) -> Result<(), u64> {
        let RateLimit::Every { requests, window } = self.limit() else {
            return Ok(());
        };
        let Ok(mut map) = self.buckets.lock() else {
            return Ok(());
        };
        let refill = window / requests.max(1);
        // The bucket holds `requests` tokens: a request is allowed while
        // the arrival time is less than `window − refill` ahead of now.
        let tolerance = window.saturating_sub(refill);
        let arrival = map.get(&user_id).copied().unwrap_or(now).max(now);
        let ahead = arrival.duration_since(now);
        if ahead > tolerance {
            let wait = ahead - tolerance;
            return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        }
        if map.len() >= PRUNE_ABOVE {
            map.retain(|_, full_at| *full_at > now);
        }
        map.insert(user_id, arrival + refill);
        Ok(())
    }
}

/// Applies the limit an admin saved, if any (a stored value that no
/// longer parses is ignored, with a warning).
pub async fn load_saved(db: &Db, throttle: &Throttle) -> Result<(), sqlx::Error> {
    if let Some(text) = settings::get(db.read(), settings::SYNC_RATE).await? {
        match RateLimit::parse(&text) {
            Ok(limit) => throttle.set_limit(limit),
            Err(e) => tracing::warn!(error = %e, "ignoring the saved sync rate"),
        }
    }
    Ok(())
}

/// Saves an admin's limit (logged with the one it replaces) and applies it
/// here at once.
pub async fn save(
    db: &Db,
    throttle: &Throttle,
    actor: &super::Actor,
    limit: RateLimit,
) -> Result<(), sqlx::Error> {
    let mut tx = db.write().begin().await?;
    settings::set(
        &mut *tx,
        settings::SYNC_RATE,
        &limit.to_string(),
        &clock::now(),
    )
    .await?;
    let detail = serde_json::json!({
        "from": throttle.limit().to_string(), "to": limit.to_string(),
    });
    let entry = super::audit::Entry::about(detail);
    super::audit::record(
        &mut tx,
        db,
        actor,
        ruta_shared::audit::SyncAction::RateChange,
        entry,
    )
    .await?;
    tx.commit().await?;
    throttle.set_limit(limit);
    Ok(())
}

/// Keeps this instance's limit in step with the database.
pub async fn follow_saved(db: Db, throttle: std::sync::Arc<Throttle>) {
    loop {
        tokio::time::sleep(FOLLOW_EVERY).await;
        if let Err(e) = load_saved(&db, &throttle).await {
            tracing::warn!(error = %e, "cannot read the saved sync rate");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::Duration;

    const HOUR: Duration = Duration::from_secs(3600);

    fn every(requests: u32, window: Duration) -> Throttle {
        Throttle::new(RateLimit::Every { requests, window })
    }

    #[test]
    fn the_51st_request_of_a_burst_waits_one_refill_not_the_hour() {
        let t = every(50, HOUR);
        let start = Instant::now();
        for _ in 0..50 {
            assert!(t.check_at(1, start).is_ok());
        }
        // 3600 s / 50 = 72 s until the next token (a fixed window said 3600).
        assert_eq!(t.check_at(1, start), Err(72));
        assert_eq!(t.check_at(1, start + Duration::from_secs(30)), Err(42));
        assert!(t.check_at(1, start + Duration::from_secs(72)).is_ok());
        assert!(t.check_at(1, start + Duration::from_secs(72)).is_err());
    }

    #[test]
    fn budget_is_per_user_and_off_is_off() {
        let t = every(2, HOUR);
        let now = Instant::now();
        assert!(t.check_at(1, now).is_ok());
        assert!(t.check_at(1, now).is_ok());
        assert_eq!(t.check_at(1, now), Err(1800));
        assert!(t.check_at(2, now).is_ok());
        assert!(Throttle::new(RateLimit::Off).check(1).is_ok());
    }

    proptest! {
        /// Whatever the request times: no interval of length L admits more
        /// than the bucket plus its refills in L; a refused request is
        /// admitted once its announced wait has passed; and a user who
        /// waits a whole window has the whole budget back.
        #[test]
        fn the_bucket_bounds_any_interval_and_its_waits_are_honest(
            requests in 1u32..20,
            window_s in 1u64..600,
            gaps_ms in proptest::collection::vec(0u64..20_000, 1..120),
        ) {
            let window = Duration::from_secs(window_s);
            let refill = window / requests;
            let t = every(requests, window);
            let start = Instant::now();
            let mut at = start;
            let mut admitted = Vec::new();
            for gap in gaps_ms {
                at += Duration::from_millis(gap);
                match t.check_at(7, at) {
                    Ok(()) => admitted.push(at),
                    Err(wait) => {
                        prop_assert!(wait >= 1);
                        prop_assert!(Duration::from_secs(wait) <= refill + Duration::from_secs(1));
                        let probe = every(requests, window);
                        // The same history replayed, then the wait honoured.
                        for a in &admitted {
                            prop_assert!(probe.check_at(7, *a).is_ok());
                        }
                        prop_assert!(probe.check_at(7, at + Duration::from_secs(wait)).is_ok());
                    }
                }
            }
            for (i, first) in admitted.iter().enumerate() {
                for (j, last) in admitted.iter().enumerate().skip(i) {
                    let span = last.duration_since(*first);
                    let refills = (span.as_nanos() / refill.as_nanos().max(1)) as usize;
                    prop_assert!(j - i < requests as usize + refills, "{} admitted in {:?}", j - i + 1, span);
                }
            }
            let rested = at + window;
            for _ in 0..requests {
                prop_assert!(t.check_at(7, rested).is_ok());
            }
            prop_assert!(t.check_at(7, rested).is_err());
        }
    }
}
