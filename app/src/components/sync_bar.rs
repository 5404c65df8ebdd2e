use crate::components::progress_bar::ProgressBar;
use crate::i18n::{t, use_lang, Key, Lang};
use crate::services::network::use_online;
use crate::services::outbox;
use crate::services::platform::now_ms;
use crate::services::sync::{use_sync, Problem};
use leptos::prelude::*;

/// A moment (ms since the epoch) in the device's time zone, as the seller
/// reads it: the time of day when it is today, with the date otherwise.
pub fn clock(ms: f64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new(&ms.into());
        let today = js_sys::Date::new_0();
        moment_text(
            (d.get_full_year(), d.get_month() + 1, d.get_date()),
            (d.get_hours(), d.get_minutes()),
            (
                today.get_full_year(),
                today.get_month() + 1,
                today.get_date(),
            ),
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        String::new()
    }
}

/// `14:05` today, `03/12 14:05` earlier this year, `28/12/2025 14:05`
/// before (day first, as both languages' users here write it).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn moment_text(day: (u32, u32, u32), time: (u32, u32), today: (u32, u32, u32)) -> String {
    let ((y, m, d), (h, min)) = (day, time);
    if day == today {
        format!("{h:02}:{min:02}")
    } else if y == today.0 {
        format!("{d:02}/{m:02} {h:02}:{min:02}")
    } else {
        format!("{d:02}/{m:02}/{y} {h:02}:{min:02}")
    }
}

/// `RUTA_UNSYNCED_WARN_AFTER` as the page was given it (4 h without one).
fn warn_after_seconds() -> u64 {
    #[cfg(feature = "hydrate")]
    if let Some(s) = crate::page_meta("ruta-unsynced-warn-after").and_then(|v| v.parse().ok()) {
        return s;
    }
    crate::PageSettings::default().unsynced_warn_after_s
}

fn problem_key(problem: Problem) -> Key {
    match problem {
        Problem::Offline => key!("sync.offline_hint"),
        Problem::Waiting => key!("sync.waiting"),
        Problem::SessionExpired => key!("error.session"),
        Problem::Storage => key!("sync.storage_error"),
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
    let warn_after_s = warn_after_seconds();
    // Re-read with every change of the outbox and on the engine's runs
    // (last_ok, problem), so the warning appears on a page left open.
    let stale = move || {
        sync.last_ok.track();
        sync.problem.track();
        sync.records
            .with(|r| outbox::has_stale(r, now_ms(), warn_after_s as f64 * 1000.0))
    };
    let stale_text = move || {
        let age = if warn_after_s.is_multiple_of(3600) {
            format!("{} h", warn_after_s / 3600)
        } else if warn_after_s < 60 {
            format!("{warn_after_s} s")
        } else {
            format!("{} min", warn_after_s / 60)
        };
        match lang.get() {
            Lang::Es => format!("Hay ventas sin sincronizar desde hace más de {age}: busque señal o avise a la oficina."),
            Lang::En => format!("Some sales have waited more than {age} to sync: find a signal or tell the office."),
        }
    };
    view! {
        <section class="sync-bar card" aria-label=t(key!("sync.title"))>
            <div class="sync-row">
                <span class={move || if online.get() { "badge live" } else { "badge offline" }}
                    role="status" data-testid="online-state">
                    <span class="dot" aria-hidden="true"></span>
                    {move || if online.get() { t(key!("sync.online"))() } else { t(key!("live.offline"))() }}
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
                    {t(key!("sync.last"))}": "
                    {move || sync.last_ok.get().map(clock).unwrap_or_else(|| t(key!("sync.never"))().to_owned())}
                </span>
                <button type="button" class="secondary small" data-testid="sync-now"
                    disabled=move || !online.get() || sync.progress.get().is_some()
                    on:click=move |_| sync.now()>
                    {t(key!("sync.now"))}
                </button>
            </div>
            <Show when=stale>
                <p class="error small" role="alert" data-testid="stale-warning">{stale_text}</p>
            </Show>
            {move || sync.problem.get().filter(|p| *p != Problem::Offline || !online.get()).map(|p| view! {
                <p class="muted small" data-testid="sync-problem">{t(problem_key(p))}</p>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::moment_text;

    #[test]
    fn a_moment_shows_its_date_unless_it_is_today() {
        let today = (2026, 12, 6);
        assert_eq!(moment_text((2026, 12, 6), (9, 5), today), "09:05");
        assert_eq!(moment_text((2026, 12, 5), (18, 40), today), "05/12 18:40");
        assert_eq!(
            moment_text((2025, 12, 28), (7, 0), today),
            "28/12/2025 07:00"
        );
    }
}
