//! Whether the browser says it has a network. A WebSocket can linger for a
//! while after the signal is gone; the browser's own flag is quicker.
use super::platform::browser_online;
use leptos::prelude::*;

/// `true` until the browser says otherwise; follows `online`/`offline`.
pub fn use_online() -> RwSignal<bool> {
    let online = RwSignal::new(true);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| online.set(browser_online()));
    let up = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let down = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        up.remove();
        down.remove();
    });
    online
}
