//! Per-user request budget for the sync endpoints (fixed window).
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
    windows: Mutex<HashMap<i64, (Instant, u32)>>,
}

impl Throttle {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit: RwLock::new(limit),
            windows: Mutex::new(HashMap::new()),
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

    /// `Err(seconds)` when the user is over budget.
    pub fn check(&self, user_id: i64) -> Result<(), u64> {
        let RateLimit::Every { requests, window } = self.limit() else {
            return Ok(());
        };
        let Ok(mut map) = self.windows.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        let entry = map.entry(user_id).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= requests {
            let wait = window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
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

/// Saves an admin's limit and applies it here at once.
pub async fn save(db: &Db, throttle: &Throttle, limit: RateLimit) -> Result<(), sqlx::Error> {
    settings::set(
        db.write(),
        settings::SYNC_RATE,
        &limit.to_string(),
        &clock::now(),
    )
    .await?;
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
    use std::time::Duration;

    #[test]
    fn budget_is_per_user() {
        let t = Throttle::new(RateLimit::Every {
            requests: 2,
            window: Duration::from_secs(3600),
        });
        assert!(t.check(1).is_ok());
        assert!(t.check(1).is_ok());
        let wait = t.check(1).unwrap_err();
        assert!(wait > 3500 && wait <= 3600);
        assert!(t.check(2).is_ok());
        assert!(Throttle::new(RateLimit::Off).check(1).is_ok());
    }
}
