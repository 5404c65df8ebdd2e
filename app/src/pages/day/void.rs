//! Voiding a sale from the phone: the seller's own confirmed sale of
//! today, with a reason, queued offline as the sale's next version.
use super::{now_iso, today, DaySale};
use crate::i18n::{t, text, use_lang};
use crate::services::outbox::OutboxRecord;
use crate::services::platform::now_ms;
use crate::services::session;
use crate::services::sync::SyncService;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ruta_shared::planner::LocalState;
use ruta_shared::sale::SaleStatus;
use ruta_shared::void::{is_voided, voided, VoidError};

/// Why a void did not happen: the rule refused it, or the phone's
/// storage did not take it.
enum VoidFailure {
    Refused(VoidError),
    NotSaved,
}

/// Whether the seller may void this sale from the phone: a confirmed sale
/// of today, not voided, not waiting on a conflict or a refusal.
pub(super) fn voidable(sale: &DaySale) -> bool {
    sale.content.status == SaleStatus::Confirmed
        && !is_voided(&sale.content)
        && matches!(
            sale.record.state,
            LocalState::Synced { .. } | LocalState::Pending
        )
        && sale.date().is_some_and(|d| d == today())
}

/// The void as the sale's next version, queued in the outbox like an
/// edit (`pages/sale_edit.rs`): same local id, the version the server
/// last agreed, this device, now.
pub(super) fn void_record(sale: &DaySale, reason: &str) -> Result<OutboxRecord, VoidError> {
    let content = voided(&sale.content, reason)?;
    let mut record = sale.record.clone();
    let version = match record.state {
        LocalState::Synced { version, .. } => Some(version),
        _ => None,
    };
    let wire = &mut record.sale;
    wire.status = content.status;
    wire.void_reason = content.void_reason;
    wire.updated_at = now_iso();
    wire.device_id = session::device_id();
    if let Some(v) = version {
        wire.version = v;
    }
    record.state = LocalState::Pending;
    record.saved_at = now_ms();
    Ok(record)
}

async fn queue_void(sync: SyncService, sale: DaySale, reason: String) -> Result<(), VoidFailure> {
    let record = void_record(&sale, &reason).map_err(VoidFailure::Refused)?;
    sync.save(record).await.map_err(|_| VoidFailure::NotSaved)
}

#[component]
pub(super) fn VoidForm(sale: DaySale, sync: SyncService) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let why = reason.get_untracked();
        if why.trim().is_empty() {
            error.set(Some(
                text(lang.get_untracked(), key!("receipt.void_required")).to_owned(),
            ));
            return;
        }
        saving.set(true);
        let sale = sale.clone();
        spawn_local(async move {
            match queue_void(sync, sale, why).await {
                Ok(()) => {
                    error.set(None);
                    open.set(false);
                }
                Err(e) => error.set(Some(match e {
                    VoidFailure::Refused(VoidError::NoReason) => {
                        text(lang.get_untracked(), key!("receipt.void_required")).to_owned()
                    }
                    VoidFailure::Refused(other) => other.to_string(),
                    VoidFailure::NotSaved => {
                        text(lang.get_untracked(), key!("receipt.void_not_saved")).to_owned()
                    }
                })),
            }
            saving.set(false);
        });
    };
    view! {
        <section class="card void-box" data-testid="void-box">
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" class="danger" data-testid="void" on:click=move |_| open.set(true)>
                    {t(key!("receipt.void"))}
                </button>
            }>
                <form on:submit=submit.clone() data-testid="void-form">
                    <label for="void-reason">{t(key!("receipt.void_reason"))}</label>
                    <textarea id="void-reason" rows="2" maxlength="500" data-testid="void-reason"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="void-error">{e}</p> })}
                    <div class="actions">
                        <button type="submit" class="danger" data-testid="void-confirm" disabled=move || saving.get()>
                            {t(key!("receipt.void_confirm"))}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| open.set(false)>{t(key!("cargue.cancel"))}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
