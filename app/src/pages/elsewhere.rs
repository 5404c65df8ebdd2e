//! Stands in, inside one browser bundle, for a page that lives in the
//! other one (see `bundle` in lib.rs): a client-side navigation to it
//! becomes a full page load, which brings the bundle that has the page.
use leptos::prelude::*;

#[component]
pub fn Elsewhere() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    view! { <p class="muted page">"…"</p> }
}
