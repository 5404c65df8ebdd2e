//! Per-user request budget for the sync endpoints (fixed window).
//!
//! Kept in memory: with several instances each enforces the budget on the
//! requests it sees (documented in docs/api.md).
use crate::config::RateLimit;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct Throttle {
    limit: RateLimit,
    windows: Mutex<HashMap<i64, (Instant, u32)>>,
}

impl Throttle {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds)` when the user is over budget.
    pub fn check(&self, user_id: i64) -> Result<(), u64> {
        let RateLimit::Every { requests, window } = self.limit else {
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
