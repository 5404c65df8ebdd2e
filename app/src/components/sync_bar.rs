use crate::components::progress_bar::ProgressBar;
use crate::i18n::{t, use_lang, Lang};
use crate::services::network::use_online;
use crate::services::sync::{use_sync, Problem};
use leptos::prelude::*;

/// A time of day from ms since the epoch, in the device's time zone.
pub fn clock(ms: f64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new(&ms.into());
        format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        String::new()
    }
}

fn problem_key(problem: Problem) -> &'static str {
    match problem {
        Problem::Offline => "sync.offline_hint",
        Problem::Waiting => "sync.waiting",
        Problem::SessionExpired => "error.session",
        Problem::Storage => "sync.storage_error",
    }
}

/// Always on the seller's sales pages: online or not, how many sales are
/// not on the server yet, the upload's progress, the last good sync, and
/// "Sincronizar ahora".
#[component]
pub fn SyncBar() -> impl IntoView {
    let sync = use_sync();
    let online = use_online();
    let lang = use_lang();
    let unsynced = sync.unsynced();
    let progress_done = Signal::derive(move || sync.progress.get().map_or(0, |p| p.0));
    let progress_total = Signal::derive(move || sync.progress.get().map_or(0, |p| p.1));
    let progress_label = Signal::derive(move || {
        let (done, total) = sync.progress.get().unwrap_or_default();
        match lang.get() {
            Lang::Es => format!("Sincronizando {done} de {total}"),
            Lang::En => format!("Syncing {done} of {total}"),
        }
    });
    let count_text = move || {
        let n = unsynced.get();
        match (lang.get(), n) {
            (Lang::Es, 1) => "1 venta sin sincronizar".to_owned(),
            (Lang::Es, n) => format!("{n} ventas sin sincronizar"),
            (Lang::En, 1) => "1 sale not synced".to_owned(),
            (Lang::En, n) => format!("{n} sales not synced"),
        }
    };
    view! {
        <section class="sync-bar card" aria-label=t("sync.title")>
            <div class="sync-row">
                <span class={move || if online.get() { "badge live" } else { "badge offline" }}
                    role="status" data-testid="online-state">
                    <span class="dot" aria-hidden="true"></span>
                    {move || if online.get() { t("sync.online")() } else { t("live.offline")() }}
                </span>
                <strong data-testid="unsynced" data-count=move || unsynced.get()
                    class={move || if unsynced.get() > 0 { "unsynced some" } else { "unsynced" }}>
                    {count_text}
                </strong>
            </div>
            <Show when=move || sync.progress.get().is_some_and(|p| p.1 > 0)>
                <ProgressBar done=progress_done total=progress_total label=progress_label/>
            </Show>
            <div class="sync-row">
                <span class="muted" data-testid="last-sync">
                    {t("sync.last")}": "
                    {move || sync.last_ok.get().map(clock).unwrap_or_else(|| t("sync.never")().to_owned())}
                </span>
                <button type="button" class="secondary small" data-testid="sync-now"
                    disabled=move || !online.get() || sync.progress.get().is_some()
                    on:click=move |_| sync.now()>
                    {t("sync.now")}
                </button>
            </div>
            {move || sync.problem.get().filter(|p| *p != Problem::Offline || !online.get()).map(|p| view! {
                <p class="muted small" data-testid="sync-problem">{t(problem_key(p))}</p>
            })}
        </section>
    }
}
