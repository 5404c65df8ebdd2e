//! `/cargue`: the dispatcher's live view of every seller's truck sheet.
//! One stream per seller keeps every tab's count live; the sheet shown
//! follows the ticks made on the sellers' phones without reloading.
use crate::components::connection_badge::ConnectionBadge;
use crate::components::top_bar::TopBar;
use crate::i18n::{t, use_lang};
use crate::pages::access::{use_access, Access, Forbidden};
use crate::services::cargue::{self, Product, Seller, Sheet};
use crate::services::live::{Status, Subscription};
use board::LiveBoard;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ruta_shared::auth::Role;
use settlement::SettlementPanel;
use sheet::{SheetActions, SheetBody};

mod board;
mod settlement;
mod sheet;

#[component]
pub fn Cargue() -> impl IntoView {
    let access = use_access(&[Role::Dispatcher, Role::Admin]);
    let board = LiveBoard::new();
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
                Access::Allowed(session) => {
                    let is_admin = session.user.role == Role::Admin;
                    view! { <Board board products is_admin/> }.into_any()
                }
            }}
        </main>
    }
}

#[component]
fn Board(board: LiveBoard, products: RwSignal<Vec<Product>>, is_admin: bool) -> impl IntoView {
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
            <SettlementPanel board is_admin/>
        </div>
    }
    .into_any()
}

#[component]
fn SellerTab(board: LiveBoard, seller: Seller) -> impl IntoView {
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
