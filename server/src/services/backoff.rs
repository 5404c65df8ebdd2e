//! Exponential backoff with jitter, shared by the background workers that
//! retry something later (sales kept in error, webhook deliveries).
use rand::Rng;
use std::time::Duration;

/// `base`, `2 × base`, `4 × base` … for attempts 1, 2, 3 …, capped at
/// `cap`, then scaled by a jitter factor in [0.5, 1.5) so that many retries
/// scheduled together spread out instead of hitting again at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// The wait after `attempt` (1-based; lower values count as 1) for a
    /// given jitter factor (clamped to [0.5, 1.5]).
    pub fn delay(&self, attempt: i64, jitter: f64) -> Duration {
        let exp = attempt.clamp(1, 40) - 1;
        let grown = self.base.as_secs_f64() * 2f64.powi(exp as i32);
        let capped = grown.min(self.cap.as_secs_f64());
        Duration::from_secs_f64(capped * jitter.clamp(0.5, 1.5))
    }

    /// [`Backoff::delay`] with a random jitter factor.
    pub fn jittered(&self, attempt: i64) -> Duration {
        self.delay(attempt, rand::thread_rng().gen_range(0.5..1.5))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEBHOOKS: Backoff = Backoff {
        base: Duration::from_secs(10),
        cap: Duration::from_secs(3_600),
    };

    #[test]
    fn doubles_from_base_and_stops_at_cap() {
        assert_eq!(WEBHOOKS.delay(0, 1.0), Duration::from_secs(10));
        assert_eq!(WEBHOOKS.delay(1, 1.0), Duration::from_secs(10));
        assert_eq!(WEBHOOKS.delay(2, 1.0), Duration::from_secs(20));
        assert_eq!(WEBHOOKS.delay(3, 1.0), Duration::from_secs(40));
        assert_eq!(WEBHOOKS.delay(9, 1.0), Duration::from_secs(2_560));
        assert_eq!(WEBHOOKS.delay(10, 1.0), Duration::from_secs(3_600));
        assert_eq!(WEBHOOKS.delay(i64::MAX, 1.0), Duration::from_secs(3_600));
    }

    #[test]
    fn jitter_stays_within_half_and_one_and_a_half() {
        assert_eq!(WEBHOOKS.delay(2, 0.5), Duration::from_secs(10));
        assert_eq!(WEBHOOKS.delay(2, 9.0), Duration::from_secs(30));
        for _ in 0..100 {
            let d = WEBHOOKS.jittered(3);
            assert!(d >= Duration::from_secs(20) && d < Duration::from_secs(60));
        }
    }

    #[test]
    fn sub_second_bases_work() {
        let quick = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
        };
        assert_eq!(quick.delay(2, 1.0), Duration::from_millis(200));
        assert_eq!(quick.delay(8, 1.0), Duration::from_secs(1));
    }
}
