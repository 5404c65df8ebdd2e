//! `/mi-cargue`: the seller's sheet for today, ticked line by line on the
//! phone. A tick goes to the device's outbox first and is sent when there is
//! signal; the dispatcher's D ticks arrive live.
use crate::components::connection_badge::ConnectionBadge;
use crate::components::progress_bar::ProgressBar;
use crate::components::top_bar::TopBar;
use crate::i18n::{day_name, describe, number, t, use_lang, Lang};
use crate::pages::access::{use_access, Access, Forbidden};
use crate::services::cargue::{self, cache, outbox, Check, Sheet, SheetOnDevice, Tick, FLASH};
use crate::services::live::{self, Status, Subscription};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ruta_shared::auth::Role;
use std::time::Duration;

/// How often queued ticks are retried while the page is open.
const RETRY_EVERY: Duration = Duration::from_secs(5);

#[derive(Clone, Copy)]
struct MySheet {
    /// Captured here: async tasks run outside the component, where the
    /// language context cannot be looked up.
    lang: RwSignal<Lang>,
    token: RwSignal<String>,
    /// What the server last said.
    sheet: RwSignal<Option<Sheet>>,
    /// Ticks made here and not confirmed yet.
    pending: RwSignal<Vec<Tick>>,
    status: RwSignal<Status>,
    notice: RwSignal<Option<String>>,
    flushing: StoredValue<bool>,
}

impl MySheet {
    fn new() -> Self {
        Self {
            lang: use_lang(),
            token: RwSignal::new(String::new()),
            sheet: RwSignal::new(None),
            pending: RwSignal::new(Vec::new()),
            status: RwSignal::new(Status::Connecting),
            notice: RwSignal::new(None),
            flushing: StoredValue::new(false),
        }
    }

    /// The server's sheet with this device's unsent ticks on top.
    fn shown(self) -> Option<Sheet> {
        let mut sheet = self.sheet.get()?;
        self.pending.with(|p| sheet.overlay(p));
        Some(sheet)
    }

    fn keep(self, sheet: Sheet) {
        cache::save(&sheet);
        self.sheet.set(Some(sheet));
    }

    fn tick(self, product_id: i64, value: bool) {
        let Some(sheet) = self.sheet.get_untracked() else {
            return;
        };
        outbox::push(Tick {
            seller_code: sheet.seller_code,
            date: sheet.date,
            product_id,
            check: Check::V,
            value,
        });
        self.pending.set(outbox::load());
        spawn_local(self.flush());
    }

    /// Sends the outbox; one flush at a time.
    async fn flush(self) {
        if self.flushing.get_value() || outbox::load().is_empty() {
            return;
        }
        self.flushing.set_value(true);
        let report = outbox::flush(&self.token.get_untracked()).await;
        self.flushing.set_value(false);
        if let Some(mut sheet) = self.sheet.get_untracked() {
            let mut changed = false;
            for (_, line) in &report.sent {
                changed |= sheet.apply_line(line);
            }
            if changed {
                self.keep(sheet);
            }
        }
        let lang = self.lang.get_untracked();
        match (report.refused.first(), &report.stopped) {
            (Some((_, e)), _) => self.notice.set(Some(describe(lang, e))),
            (None, Some(e @ crate::services::api::ApiError::Unauthorized)) => {
                self.notice.set(Some(describe(lang, e)))
            }
            _ => self.notice.set(None),
        }
        self.pending.set(outbox::load());
    }

    fn on_event(self, event: serde_json::Value) {
        let Some(mut sheet) = self.sheet.get_untracked() else {
            return;
        };
        if sheet.apply_message(&event) {
            self.keep(sheet);
            set_timeout(
                move || {
                    self.sheet
                        .update(|s| s.iter_mut().for_each(Sheet::clear_flash))
                },
                FLASH,
            );
        }
    }

    async fn start(self, token: String, seller_code: String) -> Subscription {
        self.token.set(token.clone());
        self.pending.set(outbox::load());
        if let Some(cached) = cache::load(&seller_code) {
            self.sheet.set(Some(cached));
        }
        match cargue::fetch(&token, &seller_code, None).await {
            Ok(sheet) => self.keep(sheet),
            Err(e) => {
                if self.sheet.get_untracked().is_none() {
                    self.notice
                        .set(Some(describe(self.lang.get_untracked(), &e)));
                }
            }
        }
        self.flush().await;
        let after = self
            .sheet
            .with_untracked(|s| s.as_ref().map(|s| s.seq).unwrap_or(0));
        live::subscribe(
            format!("/ws/cargue/{seller_code}/"),
            token,
            after,
            move |event| self.on_event(event),
            move |status| {
                self.status.set(status);
                if status == Status::Live {
                    spawn_local(self.flush());
                }
            },
        )
    }
}

#[component]
pub fn MyCargue() -> impl IntoView {
    let access = use_access(&[Role::Seller]);
    let state = MySheet::new();
    let subscription = StoredValue::new(None::<Subscription>);
    on_cleanup(move || subscription.with_value(|s| s.iter().for_each(Subscription::stop)));

    Effect::new(move |_| {
        let Access::Allowed(session) = access.get() else {
            return;
        };
        let Some(code) = session.user.seller_code.clone() else {
            return;
        };
        spawn_local(async move {
            let sub = state.start(session.token, code.to_string()).await;
            subscription.set_value(Some(sub));
        });
        // Signal came back, or a periodic retry while ticks wait.
        let online = window_event_listener(leptos::ev::online, move |_| spawn_local(state.flush()));
        let retry = set_interval_with_handle(move || spawn_local(state.flush()), RETRY_EVERY).ok();
        on_cleanup(move || {
            online.remove();
            if let Some(r) = retry {
                r.clear();
            }
        });
    });

    view! {
        <main class="page narrow my-cargue">
            <TopBar title=t(key!("cargue.mine"))>
                <ConnectionBadge status=state.status/>
            </TopBar>
            {move || match access.get() {
                Access::Checking => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                Access::Forbidden => view! { <Forbidden/> }.into_any(),
                Access::Allowed(_) => view! { <MySheetView state/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn MySheetView(state: MySheet) -> impl IntoView {
    let lang = use_lang();
    let progress_label = t(key!("cargue.progress"));
    let unsent = t(key!("cargue.unsent"));
    let unsent_one = t(key!("cargue.unsent_one"));
    view! {
        <Show when=move || state.notice.get().is_some()>
            <p class="error" role="alert">{move || state.notice.get().unwrap_or_default()}</p>
        </Show>
        <Show when=move || !state.pending.with(Vec::is_empty)>
            <p class="pending-note" data-testid="unsent">
                <strong>{move || state.pending.with(Vec::len)}</strong>" "
                {move || if state.pending.with(Vec::len) == 1 { unsent_one() } else { unsent() }}
            </p>
        </Show>
        {move || state.shown().map(|sheet| {
            let day = day_name(lang.get(), &sheet.day);
            let (done, total) = (sheet.complete(), sheet.lines.len());
            let closed = sheet.closed;
            view! {
                <p class="sheet-date"><strong data-testid="day">{day}</strong>" "{sheet.date.clone()}</p>
                <ProgressBar done=Signal::stored(done) total=Signal::stored(total)
                    label=Signal::derive(move || progress_label().to_owned())/>
                <Show when=move || closed>
                    <p class="closed-note" data-testid="closed">{t(key!("cargue.closed"))}</p>
                </Show>
                <p class="muted">{t(key!("cargue.mine_hint"))}</p>
                <ul class="my-lines" data-testid="lines">
                    {sheet.lines.into_iter().map(|line| {
                        let id = line.product_id;
                        let class = if line.flash { "flash" } else if line.v && line.d { "done" } else { "" };
                        view! {
                            <li class=class data-product=id.to_string()>
                                <label class="v-tick">
                                    <input type="checkbox" disabled=closed prop:checked=line.v
                                        data-testid=format!("v-{id}")
                                        on:change=move |ev| state.tick(id, event_target_checked(&ev))/>
                                    <span class="line-name">{line.product}</span>
                                    <span class="line-qty">{number(lang.get_untracked(), &line.quantity)}</span>
                                </label>
                                <span class="d-mark" class:on=line.d data-testid=format!("d-{id}")
                                    data-checked=line.d.to_string() title=t(key!("cargue.d_hint"))>"D"</span>
                                <Show when=move || line.unsent>
                                    <span class="unsent-mark">{t(key!("cargue.not_sent"))}</span>
                                </Show>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {(total == 0).then(|| view! { <p class="muted empty">{t(key!("cargue.empty"))}</p> })}
            }
        })}
    }
}
