//! Login protection: failed logins are counted and slowed, and password
//! checks (argon2: ~19 MiB and tens of milliseconds of CPU each) are
//! bounded so a login flood cannot take the server's memory.
//!
//! The numbers (docs/deploy.md, "Login protection"):
//! - per (IP, username): 10 failures in 15 minutes → 429 until the oldest
//!   leaves the window (the contract's rule);
//! - per IP, whatever the usernames: 100 failures in 15 minutes → 429
//!   (one address trying many names);
//! - per username, whatever the IPs: past 20 failures in 15 minutes, one
//!   attempt every 5 seconds (a guess spread over many addresses is slowed
//!   to 12 a minute without locking the owner out);
//! - at most `RUTA_LOGIN_CONCURRENCY` (default 4) password checks at once;
//!   a login waits up to 5 seconds for its turn, then gets 503.
//!
//! Counts live in this process's memory (each instance counts its own) and
//! each map is bounded, so a flood of random names cannot grow them.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_PAIR: usize = 10;
pub const PER_IP: usize = 100;
pub const PER_USER_BEFORE_SLOWING: usize = 20;
pub const SLOWED_USER_GAP: Duration = Duration::from_secs(5);
pub const CHECK_QUEUE_WAIT: Duration = Duration::from_secs(5);
/// Keys kept per map before the expired ones are dropped.
const MAX_KEYS: usize = 100_000;

/// Why a login was refused before its password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures: try again in this many seconds (429).
    Throttled(u64),
    /// Every password check slot stayed busy (503).
    Busy,
}

pub struct LoginGuard {
    failures: Mutex<Failures>,
    checks: Semaphore,
    queue_wait: Duration,
}

#[derive(Default)]
struct Failures {
    pair: Recent<(String, String)>,
    ip: Recent<String>,
    user: Recent<String>,
    /// When a slowed username was last let through.
    user_last_try: HashMap<String, Instant>,
}

/// Failure times per key within [`WINDOW`], at most `keep` per key.
struct Recent<K> {
    times: HashMap<K, Vec<Instant>>,
}

impl<K> Default for Recent<K> {
    fn default() -> Self {
        Self {
            times: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq + Clone> Recent<K> {
    /// Failures of `key` still in the window, and the oldest of them.
    fn count(&mut self, key: &K, now: Instant) -> (usize, Option<Instant>) {
        let Some(list) = self.times.get_mut(key) else {
            return (0, None);
        };
        list.retain(|t| now.duration_since(*t) < WINDOW);
        (list.len(), list.first().copied())
    }

    /// Records a failure; returns the count in the window after it.
    fn push(&mut self, key: &K, now: Instant, keep: usize) -> usize {
        if self.times.len() >= MAX_KEYS {
            self.times
                .retain(|_, v| v.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let list = self.times.entry(key.clone()).or_default();
        list.retain(|t| now.duration_since(*t) < WINDOW);
        list.push(now);
        if list.len() > keep {
            let extra = list.len() - keep;
            list.drain(..extra);
        }
        list.len()
    }

    fn clear(&mut self, key: &K) {
        self.times.remove(key);
    }
}

/// Seconds until the oldest failure leaves the window (at least 1).
fn until_window_frees(oldest: Option<Instant>, now: Instant) -> u64 {
    oldest
        .map(|t| WINDOW.saturating_sub(now.duration_since(t)).as_secs())
        .unwrap_or(1)
        .max(1)
}

impl LoginGuard {
    pub fn new(concurrent_checks: usize) -> Self {
        Self {
            failures: Mutex::new(Failures::default()),
            checks: Semaphore::new(concurrent_checks.max(1)),
            queue_wait: CHECK_QUEUE_WAIT,
        }
    }

    /// How long a login waits for a password check slot (tests shorten it).
    pub fn with_queue_wait(mut self, wait: Duration) -> Self {
        self.queue_wait = wait;
        self
    }

    /// Refuses the attempt when a limit is reached; otherwise lets it
    /// through (and, for a slowed username, starts its next gap now, so
    /// parallel attempts cannot all slip in before the first one fails).
    pub fn admit(&self, ip: &str, username: &str) -> Result<(), Refusal> {
        let Ok(mut f) = self.failures.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        let pair = (ip.to_owned(), username.to_owned());
        let (n, oldest) = f.pair.count(&pair, now);
        if n >= PER_PAIR {
            return Err(Refusal::Throttled(until_window_frees(oldest, now)));
        }
        let (n, oldest) = f.ip.count(&ip.to_owned(), now);
        if n >= PER_IP {
            return Err(Refusal::Throttled(until_window_frees(oldest, now)));
        }
        let (n, _) = f.user.count(&username.to_owned(), now);
        if n >= PER_USER_BEFORE_SLOWING {
            if let Some(last) = f.user_last_try.get(username) {
                let since = now.duration_since(*last);
                if since < SLOWED_USER_GAP {
                    let wait = (SLOWED_USER_GAP - since).as_secs_f64().ceil() as u64;
                    return Err(Refusal::Throttled(wait.max(1)));
                }
            }
            if f.user_last_try.len() >= MAX_KEYS {
                f.user_last_try
                    .retain(|_, t| now.duration_since(*t) < SLOWED_USER_GAP);
            }
            f.user_last_try.insert(username.to_owned(), now);
        }
        Ok(())
    }

    /// A turn to run one password check, waiting at most
    /// [`CHECK_QUEUE_WAIT`].
    pub async fn check_slot(&self) -> Result<SemaphorePermit<'_>, Refusal> {
        match tokio::time::timeout(self.queue_wait, self.checks.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                tracing::warn!("every password check slot busy: login refused");
                Err(Refusal::Busy)
            }
        }
    }

    pub fn failed(&self, ip: &str, username: &str) {
        let Ok(mut f) = self.failures.lock() else {
            return;
        };
        let now = Instant::now();
        let pair = f
            .pair
            .push(&(ip.to_owned(), username.to_owned()), now, PER_PAIR);
        let by_ip = f.ip.push(&ip.to_owned(), now, PER_IP);
        let by_user = f
            .user
            .push(&username.to_owned(), now, PER_USER_BEFORE_SLOWING);
        if pair == PER_PAIR || by_ip == PER_IP || by_user == PER_USER_BEFORE_SLOWING {
            tracing::warn!(
                ip,
                username,
                failures_pair = pair,
                failures_ip = by_ip,
                failures_user = by_user,
                "repeated failed logins: limit reached"
            );
        } else {
            tracing::info!(ip, username, "failed login");
        }
    }

    /// A right password clears that pair's failures (not the IP's or the
    /// username's: another pair's guessing goes on counting).
    pub fn succeeded(&self, ip: &str, username: &str) {
        if let Ok(mut f) = self.failures.lock() {
            f.pair.clear(&(ip.to_owned(), username.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_is_refused_after_ten_failures_and_freed_by_success() {
        let g = LoginGuard::new(1);
        for _ in 0..PER_PAIR {
            assert_eq!(g.admit("1.1.1.1", "ana"), Ok(()));
            g.failed("1.1.1.1", "ana");
        }
        assert!(matches!(g.admit("1.1.1.1", "ana"), Err(Refusal::Throttled(s)) if s > 800));
        // Another address for the same user is not locked out.
        assert_eq!(g.admit("2.2.2.2", "ana"), Ok(()));
        g.succeeded("1.1.1.1", "ana");
        assert_eq!(g.admit("1.1.1.1", "ana"), Ok(()));
    }

    #[test]
    fn one_address_trying_many_names_is_refused() {
        let g = LoginGuard::new(1);
        for i in 0..PER_IP {
            let name = format!("user{i}");
            assert_eq!(g.admit("3.3.3.3", &name), Ok(()), "attempt {i}");
            g.failed("3.3.3.3", &name);
        }
        assert!(matches!(
            g.admit("3.3.3.3", "nuevo"),
            Err(Refusal::Throttled(_))
        ));
        assert_eq!(g.admit("4.4.4.4", "nuevo"), Ok(()));
    }

    #[test]
    fn a_username_guessed_from_many_addresses_is_slowed_not_locked() {
        let g = LoginGuard::new(1);
        for i in 0..PER_USER_BEFORE_SLOWING {
            let ip = format!("10.0.0.{i}");
            assert_eq!(g.admit(&ip, "maria"), Ok(()));
            g.failed(&ip, "maria");
        }
        // The next attempt passes and starts the gap; the one right after
        // it, from any address, waits.
        assert_eq!(g.admit("10.0.1.1", "maria"), Ok(()));
        assert!(matches!(g.admit("10.0.1.2", "maria"), Err(Refusal::Throttled(s)) if s <= 5));
        assert_eq!(g.admit("10.0.1.2", "otra"), Ok(()));
    }

    #[tokio::test]
    async fn password_checks_are_bounded() {
        let g = LoginGuard::new(2).with_queue_wait(Duration::from_millis(50));
        let a = g.check_slot().await;
        let b = g.check_slot().await;
        assert!(a.is_ok() && b.is_ok());
        assert_eq!(g.check_slot().await.err(), Some(Refusal::Busy));
        drop(a);
        assert!(g.check_slot().await.is_ok());
    }
}
