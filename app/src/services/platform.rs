//! What the services ask of the browser itself: the clock, and whether it
//! says it has a network. On the server (no `hydrate`) the clock stands at
//! zero and the browser counts as online, as pages first render.

/// Milliseconds since the epoch, as `Date.now()` gives them.
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// The browser's `navigator.onLine`.
pub fn browser_online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        true
    }
}
