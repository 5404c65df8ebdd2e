use crate::i18n::t;
use crate::services::live::Status;
use crate::services::network::use_online;
use leptos::prelude::*;

/// Whether the page is receiving live changes right now: the stream's
/// state, overruled by the browser's when it says there is no network.
#[component]
pub fn ConnectionBadge(#[prop(into)] status: Signal<Status>) -> impl IntoView {
    let online = use_online();
    let status = Signal::derive(move || {
        if online.get() {
            status.get()
        } else {
            Status::Offline
        }
    });
    let live = t(key!("live.live"));
    let connecting = t(key!("live.connecting"));
    let offline = t(key!("live.offline"));
    let class = move || match status.get() {
        Status::Live => "badge live",
        Status::Connecting => "badge connecting",
        Status::Offline => "badge offline",
    };
    let label = move || match status.get() {
        Status::Live => live(),
        Status::Connecting => connecting(),
        Status::Offline => offline(),
    };
    view! {
        <span class=class role="status" data-testid="connection">
            <span class="dot" aria-hidden="true"></span>
            {label}
        </span>
    }
}
