//! The graceful stop's shared signal. Upgraded WebSockets are not
//! connections the HTTP server waits for, so each socket task watches this
//! signal, sends close code 1012 ("service restart": clients reconnect
//! with `?after=`) and holds a [`Held`] guard until it has, which the stop
//! waits on before the process exits.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// WebSocket close code for "the server is restarting; reconnect".
pub const CLOSE_RESTART: u16 = 1012;

#[derive(Clone)]
pub struct Shutdown {
    stop: Arc<watch::Sender<bool>>,
    open: Arc<AtomicUsize>,
    released: Arc<Notify>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self {
            stop: Arc::new(watch::channel(false).0),
            open: Arc::new(AtomicUsize::new(0)),
            released: Arc::new(Notify::new()),
        }
    }
}

/// One long-lived task the stop waits for (an open WebSocket).
pub struct Held {
    open: Arc<AtomicUsize>,
    released: Arc<Notify>,
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.open.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.released.notify_waiters();
        }
    }
}

impl Shutdown {
    /// Starts the stop; idempotent.
    pub fn trigger(&self) {
        self.stop.send_replace(true);
    }

    pub fn is_triggered(&self) -> bool {
        *self.stop.borrow()
    }

    /// Resolves once the stop has started.
    pub async fn triggered(&self) {
        let mut rx = self.stop.subscribe();
        // An error means the sender is gone, which it never is while
        // `self` lives; either way there is nothing more to wait for.
        let _ = rx.wait_for(|stopping| *stopping).await;
    }

    pub fn hold(&self) -> Held {
        self.open.fetch_add(1, Ordering::AcqRel);
        Held {
            open: self.open.clone(),
            released: self.released.clone(),
        }
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }

    /// Waits until every [`Held`] guard is dropped, at most `limit`;
    /// returns how many were still held.
    pub async fn wait_released(&self, limit: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let released = self.released.notified();
            tokio::pin!(released);
            // Registered before the check, so a drop in between is seen.
            released.as_mut().enable();
            let open = self.open();
            if open == 0 {
                return 0;
            }
            if tokio::time::timeout_at(deadline, released).await.is_err() {
                return self.open();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_every_guard() {
        let s = Shutdown::default();
        let a = s.hold();
        let b = s.hold();
        assert_eq!(s.wait_released(Duration::from_millis(10)).await, 2);
        let waiter = tokio::spawn({
            let s = s.clone();
            async move { s.wait_released(Duration::from_secs(5)).await }
        });
        drop(a);
        drop(b);
        assert_eq!(waiter.await.unwrap(), 0);
        assert!(!s.is_triggered());
        s.trigger();
        s.triggered().await;
    }
}
