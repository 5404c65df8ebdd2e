//! `/ventas` ("Mis ventas"): every sale made on this device and where it
//! stands — pending, synced (with its number), error (the server's
//! message; fix or retry), conflict (to resolve) — under the sync bar.
use crate::components::storage_panel::StoragePanel;
use crate::components::sync_bar::{clock, SyncBar};
use crate::components::top_bar::TopBar;
use crate::i18n::{money, t, use_lang};
use crate::pages::access::{use_access, Access, Forbidden};
use crate::services::outbox::OutboxRecord;
use crate::services::platform::now_ms;
use crate::services::sync::{use_sync, SyncService};
use leptos::prelude::*;
use ruta_shared::auth::Role;
use ruta_shared::planner::LocalState;

/// Rows drawn at once: a phone with thousands of sales stays responsive.
const SHOWN: usize = 200;

/// The seller pages' common start: the role check, then the engine.
pub fn use_seller_page() -> (RwSignal<Access>, SyncService) {
    let access = use_access(&[Role::Seller]);
    let sync = use_sync();
    Effect::new(move |_| {
        if matches!(access.get(), Access::Allowed(_)) {
            sync.start();
        }
    });
    (access, sync)
}

fn state_name(state: &LocalState) -> &'static str {
    match state {
        LocalState::Pending => "pending",
        LocalState::Synced { .. } => "synced",
        LocalState::Error { .. } => "error",
        LocalState::Conflict { .. } => "conflict",
    }
}

#[component]
fn SaleRow(record: OutboxRecord) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let state = state_name(&record.state);
    let chip = match &record.state {
        LocalState::Synced { number, .. } => {
            let number = number.clone().unwrap_or_default();
            view! { <span class="chip synced" data-testid="sale-number">{number}</span> }.into_any()
        }
        LocalState::Pending => {
            view! { <span class="chip pending">{t(key!("sales.pending"))}</span> }.into_any()
        }
        LocalState::Error { .. } => {
            view! { <span class="chip error">{t(key!("sales.error"))}</span> }.into_any()
        }
        LocalState::Conflict { .. } => {
            view! { <span class="chip conflict">{t(key!("sales.conflict"))}</span> }.into_any()
        }
    };
    let message = match &record.state {
        LocalState::Error { message, .. } => Some(message.clone()),
        _ => None,
    };
    let retryable = message.is_some();
    let id = record.local_id.clone();
    let edit = record.editable().then(|| format!("/ventas/nueva?id={id}"));
    let conflict = matches!(record.state, LocalState::Conflict { .. })
        .then(|| format!("/ventas/conflicto?id={id}"));
    let retry_record = record.clone();
    let retry = move |_| {
        let mut again = retry_record.clone();
        again.state = LocalState::Pending;
        again.saved_at = now_ms();
        leptos::task::spawn_local(async move {
            let _ = sync.save(again).await;
        });
    };
    let total = record.total.clone();
    let draft = record.is_draft();
    view! {
        <li class=format!("sale-row state-{state}") data-testid="sale-row" data-local-id=id.clone() data-state=state>
            <div class="sale-main">
                <strong class="sale-customer">{record.customer_name.clone()}</strong>
                <span class="sale-total">"$"{move || money(lang.get(), &total)}</span>
            </div>
            <div class="sale-meta">
                {chip}
                {draft.then(|| view! { <span class="chip draft">{t(key!("sales.draft"))}</span> })}
                <span class="muted small">{clock(record.saved_at)}</span>
            </div>
            {message.map(|m| view! { <p class="error small" data-testid="sale-error">{m}</p> })}
            <div class="row-actions">
                {retryable.then(|| view! {
                    <button type="button" class="link" data-testid="retry" on:click=retry.clone()>{t(key!("sales.retry"))}</button>
                })}
                {edit.map(|href| view! { <a href=href data-testid="edit">{t(key!("sales.edit"))}</a> })}
                {conflict.map(|href| view! { <a href=href class="conflict-link" data-testid="resolve">{t(key!("sales.resolve"))}</a> })}
            </div>
        </li>
    }
}

#[component]
pub fn Sales() -> impl IntoView {
    let (access, sync) = use_seller_page();
    let shown = move || {
        sync.records
            .with(|r| r.iter().take(SHOWN).cloned().collect::<Vec<_>>())
    };
    let hidden = move || sync.records.with(|r| r.len().saturating_sub(SHOWN));
    view! {
        <main class="page narrow seller">
            <TopBar title=t(key!("sales.title"))>
                <span></span>
            </TopBar>
            {move || match access.get() {
                Access::Forbidden => view! { <Forbidden/> }.into_any(),
                Access::Checking => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                Access::Allowed(_) => view! {
                    <SyncBar/>
                    <a class="button primary new-sale" href="/ventas/nueva" data-testid="new-sale">{t(key!("sales.new"))}</a>
                    <Show when=move || sync.loaded.get() && sync.records.with(|r| r.is_empty())>
                        <p class="muted empty">{t(key!("sales.empty"))}</p>
                    </Show>
                    <ul class="sale-list" data-testid="sale-list">
                        // Keyed by id and state: a row is redrawn only when it changes.
                        <For each=shown key=|r| (r.local_id.clone(), r.saved_at.to_bits(), state_name(&r.state)) let:record>
                            <SaleRow record/>
                        </For>
                    </ul>
                    <Show when=move || { hidden() > 0 }>
                        <p class="muted small">{move || format!("+{}", hidden())}</p>
                    </Show>
                    <StoragePanel/>
                    <nav class="home-links">
                        <a href="/mi-cargue">{t(key!("home.my_cargue"))}</a>
                        <a href="/">{t(key!("notfound.back"))}</a>
                    </nav>
                }.into_any(),
            }}
        </main>
    }
}
