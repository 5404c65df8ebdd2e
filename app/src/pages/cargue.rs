//! `/cargue`: the dispatcher's live view of every seller's truck sheet.
//! One stream per seller keeps every tab's count live; the sheet shown
//! follows the ticks made on the sellers' phones without reloading.
use crate::components::connection_badge::ConnectionBadge;
use crate::components::plan_form::PlanForm;
use crate::components::progress_bar::ProgressBar;
use crate::components::top_bar::TopBar;
use crate::i18n::{describe, number, t, use_lang, Lang};
use crate::pages::access::{use_access, Access, Forbidden};
use crate::services::api::ApiError;
use crate::services::cargue::{
    self, Check, PlannedLine, Product, Seller, Sheet, SheetOnDevice, Tick, FLASH,
};
use crate::services::live::{self, Status, Subscription};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ruta_shared::auth::Role;
use serde_json::Value;
use std::collections::HashMap;

/// Events kept per seller to re-apply on top of a sheet fetched while they
/// were arriving (the fetch may have read the lines just before them).
const RECENT_EVENTS: usize = 500;

#[derive(Clone, Copy)]
struct Board {
    /// Captured here: async tasks run outside the component, where the
    /// language context cannot be looked up.
    lang: RwSignal<Lang>,
    token: RwSignal<String>,
    sellers: RwSignal<Vec<Seller>>,
    sheets: RwSignal<HashMap<String, Sheet>>,
    statuses: RwSignal<HashMap<String, Status>>,
    selected: RwSignal<String>,
    date: RwSignal<String>,
    notice: RwSignal<Option<String>>,
    recent: StoredValue<HashMap<String, Vec<Value>>>,
}

impl Board {
    fn new() -> Self {
        Self {
            lang: use_lang(),
            token: RwSignal::new(String::new()),
            sellers: RwSignal::new(Vec::new()),
            sheets: RwSignal::new(HashMap::new()),
            statuses: RwSignal::new(HashMap::new()),
            selected: RwSignal::new(String::new()),
            date: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            recent: StoredValue::new(HashMap::new()),
        }
    }

    fn fail(self, error: &ApiError) {
        self.notice
            .set(Some(describe(self.lang.get_untracked(), error)));
    }

    fn store_sheet(self, mut sheet: Sheet) {
        let code = sheet.seller_code.clone();
        self.recent.with_value(|r| {
            for e in r.get(&code).into_iter().flatten() {
                if e.get("seq").and_then(Value::as_i64).unwrap_or(0) > sheet.seq {
                    sheet.apply_message(e);
                }
            }
        });
        sheet.clear_flash();
        self.sheets.update(|m| {
            m.insert(code, sheet);
        });
    }

    /// Every seller's sheet for `date` (the server's today when `None`).
    async fn load(self, date: Option<String>) {
        let token = self.token.get_untracked();
        let mut date = date;
        for seller in self.sellers.get_untracked() {
            match cargue::fetch(&token, &seller.seller_code, date.as_deref()).await {
                Ok(sheet) => {
                    if date.is_none() {
                        date = Some(sheet.date.clone());
                        self.date.set(sheet.date.clone());
                    }
                    self.store_sheet(sheet);
                }
                Err(e) => self.fail(&e),
            }
        }
    }

    fn on_event(self, code: &str, event: Value) {
        self.recent.update_value(|r| {
            let kept = r.entry(code.to_owned()).or_default();
            kept.push(event.clone());
            if kept.len() > RECENT_EVENTS {
                kept.drain(..kept.len() - RECENT_EVENTS);
            }
        });
        let mut changed = false;
        self.sheets.update(|m| {
            if let Some(sheet) = m.get_mut(code) {
                changed = sheet.apply_message(&event);
            }
        });
        if changed {
            let code = code.to_owned();
            set_timeout(
                move || {
                    self.sheets.update(|m| {
                        if let Some(s) = m.get_mut(&code) {
                            s.clear_flash();
                        }
                    })
                },
                FLASH,
            );
        }
    }

    fn subscribe(self, code: String) -> Subscription {
        let after = self
            .sheets
            .with_untracked(|m| m.get(&code).map(|s| s.seq).unwrap_or(0));
        let path = format!("/ws/cargue/{code}/");
        let (for_events, for_status) = (code.clone(), code);
        live::subscribe(
            path,
            self.token.get_untracked(),
            after,
            move |event| self.on_event(&for_events, event),
            move |status| {
                self.statuses.update(|m| {
                    m.insert(for_status.clone(), status);
                })
            },
        )
    }

    fn shown(self) -> Option<Sheet> {
        let code = self.selected.get();
        self.sheets.with(|m| m.get(&code).cloned())
    }

    fn tick_d(self, product_id: i64, value: bool) {
        let tick = Tick {
            seller_code: self.selected.get_untracked(),
            date: self.date.get_untracked(),
            product_id,
            check: Check::D,
            value,
        };
        let token = self.token.get_untracked();
        spawn_local(async move {
            let result = cargue::send_tick(&token, &tick).await;
            self.sheets.update(|m| {
                if let (Some(sheet), Ok(line)) = (m.get_mut(&tick.seller_code), &result) {
                    sheet.apply_line(line);
                }
                // On failure the update alone puts the checkbox back.
            });
            if let Err(e) = result {
                self.fail(&e);
            }
        });
    }
}

#[component]
pub fn Cargue() -> impl IntoView {
    let access = use_access(&[Role::Dispatcher, Role::Admin]);
    let board = Board::new();
    let products = RwSignal::new(Vec::<Product>::new());
    let subscriptions = StoredValue::new(Vec::<Subscription>::new());
    on_cleanup(move || subscriptions.with_value(|s| s.iter().for_each(Subscription::stop)));

    Effect::new(move |_| {
        let Access::Allowed(session) = access.get() else {
            return;
        };
        board.token.set(session.token.clone());
        spawn_local(async move {
            let token = session.token;
            match cargue::sellers(&token).await {
                Ok(list) => {
                    if let Some(first) = list.first() {
                        board.selected.set(first.seller_code.clone());
                    }
                    board.sellers.set(list);
                }
                Err(e) => return board.fail(&e),
            }
            board.load(None).await;
            let subs = board
                .sellers
                .get_untracked()
                .into_iter()
                .map(|s| board.subscribe(s.seller_code))
                .collect();
            subscriptions.set_value(subs);
            if let Ok(list) = cargue::products(&token).await {
                products.set(list);
            }
        });
    });

    view! {
        <main class="page wide cargue">
            <TopBar title=t(key!("cargue.title"))>
                <ConnectionBadge status=Signal::derive(move || {
                    let code = board.selected.get();
                    board.statuses.with(|m| m.get(&code).copied().unwrap_or(Status::Connecting))
                })/>
            </TopBar>
            {move || match access.get() {
                Access::Checking => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                Access::Forbidden => view! { <Forbidden/> }.into_any(),
                Access::Allowed(_) => view! { <Board board products/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Board(board: Board, products: RwSignal<Vec<Product>>) -> impl IntoView {
    let lang = use_lang();
    let change_date = move |ev: leptos::ev::Event| {
        let date = event_target_value(&ev);
        if date.is_empty() {
            return;
        }
        board.date.set(date.clone());
        spawn_local(board.load(Some(date)));
    };
    let day = move || {
        board
            .shown()
            .map(|s| crate::i18n::day_name(lang.get(), &s.day))
            .unwrap_or_default()
    };
    view! {
        <div class="board">
            <nav class="tabs" role="tablist">
                <Show when=move || board.sellers.with(Vec::is_empty)>
                    <p class="muted">{t(key!("cargue.no_sellers"))}</p>
                </Show>
                <For each=move || board.sellers.get() key=|s| s.seller_code.clone() let:seller>
                    <SellerTab board seller/>
                </For>
            </nav>
            <section class="sheet">
                <div class="sheet-head">
                    <label class="date-pick">
                        <span>{t(key!("cargue.date"))}</span>
                        <input type="date" data-testid="date" prop:value=move || board.date.get()
                            on:change=change_date/>
                    </label>
                    <strong class="day" data-testid="day">{day}</strong>
                </div>
                <Show when=move || board.notice.get().is_some()>
                    <p class="error" role="alert">
                        {move || board.notice.get().unwrap_or_default()}
                        <button type="button" class="link" on:click=move |_| board.notice.set(None)>"×"</button>
                    </p>
                </Show>
                {move || board.shown().map(|sheet| view! { <SheetBody board sheet/> })}
                <SheetActions board products/>
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn SellerTab(board: Board, seller: Seller) -> impl IntoView {
    let code = seller.seller_code.clone();
    let unchecked = {
        let code = code.clone();
        move || {
            board
                .sheets
                .with(|m| m.get(&code).map(Sheet::unchecked).unwrap_or(0))
        }
    };
    let is_selected = {
        let code = code.clone();
        move || board.selected.get() == code
    };
    let select = {
        let code = code.clone();
        move |_| board.selected.set(code.clone())
    };
    view! {
        <button type="button" role="tab" class="tab" aria-selected=move || is_selected().to_string()
            data-testid=format!("tab-{code}") on:click=select>
            <span class="tab-code">{code.clone()}</span>
            <span class="tab-name">{seller.username}</span>
            <span class="count" title=t(key!("cargue.unchecked"))>{unchecked}</span>
        </button>
    }
}

/// Progress and lines: rebuilt on every change of the sheet.
#[component]
fn SheetBody(board: Board, sheet: Sheet) -> impl IntoView {
    let (done, total) = (sheet.complete(), sheet.lines.len());
    let progress_label = t(key!("cargue.progress"));
    let closed = sheet.closed;
    view! {
        <ProgressBar done=Signal::stored(done) total=Signal::stored(total)
            label=Signal::derive(move || progress_label().to_owned())/>
        <Show when=move || closed>
            <p class="closed-note" data-testid="closed">{t(key!("cargue.closed"))}</p>
        </Show>
        {if sheet.lines.is_empty() {
            view! { <p class="muted empty">{t(key!("cargue.empty"))}</p> }.into_any()
        } else {
            view! { <LinesTable board lines=sheet.lines closed/> }.into_any()
        }}
    }
}

/// Planning and closing: kept across live changes so a form being filled
/// in is not reset by a tick.
#[component]
fn SheetActions(board: Board, products: RwSignal<Vec<Product>>) -> impl IntoView {
    let planning = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let closed = Memo::new(move |_| board.shown().is_none_or(|s| s.closed));
    Effect::new(move |_| {
        board.selected.track();
        board.date.track();
        planning.set(false);
        confirming.set(false);
    });
    let target = move || {
        (
            board.token.get_untracked(),
            board.selected.get_untracked(),
            board.date.get_untracked(),
        )
    };
    let save_plan = Callback::new(move |lines: Vec<PlannedLine>| {
        let (token, code, date) = target();
        spawn_local(async move {
            match cargue::plan(&token, &code, &date, &lines).await {
                Ok(sheet) => {
                    board.store_sheet(sheet);
                    planning.set(false);
                }
                Err(e) => board.fail(&e),
            }
        });
    });
    let close = move |_| {
        let (token, code, date) = target();
        confirming.set(false);
        spawn_local(async move {
            match cargue::close(&token, &code, &date).await {
                Ok(_) => board.load(Some(date)).await,
                Err(e) => board.fail(&e),
            }
        });
    };
    view! {
        <p class="legend muted">{t(key!("cargue.v_hint"))}" · "{t(key!("cargue.d_hint"))}</p>
        <Show when=move || !closed.get()>
            <div class="actions">
                <button type="button" class="secondary" data-testid="plan"
                    on:click=move |_| planning.update(|p| *p = !*p)>{t(key!("cargue.plan"))}</button>
                <button type="button" class="danger" data-testid="close-shift"
                    on:click=move |_| confirming.set(true)>{t(key!("cargue.close"))}</button>
            </div>
        </Show>
        <Show when=move || confirming.get()>
            <div class="confirm card" role="alertdialog">
                <p>{t(key!("cargue.close_confirm"))}</p>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                        {t(key!("cargue.cancel"))}
                    </button>
                    <button type="button" class="danger" data-testid="close-confirm" on:click=close>
                        {t(key!("cargue.close_yes"))}
                    </button>
                </div>
            </div>
        </Show>
        {move || planning.get().then(|| {
            let current = untrack(|| board.shown()).map(|s| s.lines).unwrap_or_default();
            view! {
                <PlanForm products current on_save=save_plan
                    on_cancel=Callback::new(move |_| planning.set(false))/>
            }
        })}
    }
    .into_any()
}

#[component]
fn LinesTable(board: Board, lines: Vec<cargue::Line>, closed: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="lines" data-testid="lines">
            <thead>
                <tr>
                    <th>{t(key!("cargue.product"))}</th>
                    <th class="num">{t(key!("cargue.quantity"))}</th>
                    <th class="check">"V"</th>
                    <th class="check">"D"</th>
                </tr>
            </thead>
            <tbody>
                {lines.into_iter().map(|line| {
                    let id = line.product_id;
                    let row_class = match (line.flash, line.v && line.d) {
                        (true, _) => "flash",
                        (false, true) => "done",
                        (false, false) => "",
                    };
                    view! {
                        <tr class=row_class data-product=id.to_string()>
                            <td>{line.product}</td>
                            <td class="num">{move || number(lang.get(), &line.quantity)}</td>
                            <td class="check">
                                // The seller's check: shown, not editable here.
                                <span class="mark" class:on=line.v role="checkbox" aria-readonly="true"
                                    aria-checked=line.v.to_string() aria-label="V"
                                    data-testid=format!("v-{id}")>{if line.v { "✓" } else { "" }}</span>
                            </td>
                            <td class="check">
                                <input type="checkbox" disabled=closed prop:checked=line.d
                                    aria-label="D" data-testid=format!("d-{id}")
                                    on:change=move |ev| board.tick_d(id, event_target_checked(&ev))/>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
