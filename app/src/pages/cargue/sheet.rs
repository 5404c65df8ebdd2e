//! The sheet shown: its progress and lines (rebuilt on every change), and
//! the planning and closing actions (kept across changes).
use super::board::LiveBoard;
use crate::components::plan_form::PlanForm;
use crate::components::progress_bar::ProgressBar;
use crate::i18n::{number, t, use_lang};
use crate::services::cargue::{self, PlannedLine, Product, Sheet};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Progress and lines: rebuilt on every change of the sheet.
#[component]
pub(super) fn SheetBody(board: LiveBoard, sheet: Sheet) -> impl IntoView {
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
pub(super) fn SheetActions(board: LiveBoard, products: RwSignal<Vec<Product>>) -> impl IntoView {
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
fn LinesTable(board: LiveBoard, lines: Vec<cargue::Line>, closed: bool) -> impl IntoView {
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
