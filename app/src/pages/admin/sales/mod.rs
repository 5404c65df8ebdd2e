//! `/admin/ventas`: every sale the server holds, newest first, with the
//! server's filters (seller, device, customer, business days, sync status,
//! payment method), cursor pages ("Más") and the CSV of the same filter.
//! `?sale=<id>` opens one sale's history: the sale as it stands, its
//! earlier versions and its log rows, with "Anular" for a confirmed sale.
//! Device names come from the overview's device list (the sale rows carry
//! only the id); a device without a name shows its short id.
mod detail;
mod filter;
mod list;

use super::overview::short;
use super::{run, use_admin, AdminPage, Reloader, Section};
use crate::i18n::{t, text, Key};
use crate::services::admin::{self, Overview};
use crate::services::cargue::{self, Seller};
use detail::SaleDetail;
use filter::{Filter, FilterBar};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use list::sale_row;
use ruta_shared::catalog::Customer;
use ruta_shared::sale::{SaleStatus, SaleView, SyncStatus};
use ruta_shared::wire::{CursorPage, Page};
use std::collections::HashMap;

#[component]
pub fn OfficeSales() -> impl IntoView {
    view! { <AdminPage section=Section::Sales><SalesBody/></AdminPage> }
}

const PAGE_SIZE: &str = "50";

fn sync_key(s: SyncStatus) -> Key {
    match s {
        SyncStatus::Pending => key!("admin.sales.sync.pending"),
        SyncStatus::Synced => key!("admin.sales.sync.synced"),
        SyncStatus::Error => key!("admin.sales.sync.error"),
        SyncStatus::Conflict => key!("admin.sales.sync.conflict"),
    }
}

fn sync_tone(s: SyncStatus) -> &'static str {
    match s {
        SyncStatus::Pending => "pill pending",
        SyncStatus::Synced => "pill ok",
        SyncStatus::Error | SyncStatus::Conflict => "pill failed",
    }
}

/// The names admins gave devices, by device id.
type Names = HashMap<String, String>;

fn names_of(o: &Overview) -> Names {
    o.devices
        .iter()
        .filter_map(|d| {
            d.name
                .as_ref()
                .filter(|n| !n.trim().is_empty())
                .map(|n| (d.device_id.clone(), n.clone()))
        })
        .collect()
}

/// A device as people read it: its name, else its short id.
fn device_label(names: &Names, device_id: &str) -> String {
    names
        .get(device_id)
        .cloned()
        .unwrap_or_else(|| short(device_id))
}

/// The sale's number, or its server id while it has none.
fn number_of(s: &SaleView) -> String {
    s.number.clone().unwrap_or_else(|| format!("#{}", s.id))
}

fn is_void(s: &SaleView) -> bool {
    s.status == Some(SaleStatus::Cancelled)
}

#[component]
fn SalesBody() -> impl IntoView {
    let admin = use_admin();
    let lang = admin.lang;
    let query = use_query_map();
    let filter = Filter::new();
    let sales = RwSignal::new(None::<Vec<SaleView>>);
    let next = RwSignal::new(None::<String>);
    let more_busy = RwSignal::new(false);
    let names = RwSignal::new(Names::new());
    let devices = RwSignal::new(Vec::<(String, String)>::new());
    let sellers = RwSignal::new(Vec::<Seller>::new());
    let customers = RwSignal::new(Vec::<Customer>::new());
    let loader = Reloader::new(move || async move {
        let path = format!(
            "/api/v1/admin/sales/{}",
            filter.query(&[("limit", PAGE_SIZE)])
        );
        match admin::get::<CursorPage<SaleView>>(&admin.token(), &path).await {
            Ok(p) => {
                admin.notice.set(None);
                next.set(p.next_cursor);
                sales.set(Some(p.results));
            }
            Err(e) => admin.fail(&e),
        }
    });
    // Once in the browser: the list, and what the filters offer.
    Effect::new(move |_| {
        loader.reload();
        run(async move {
            let token = admin.token();
            if let Ok(list) = cargue::sellers(&token).await {
                sellers.set(list);
            }
            let path = "/api/v1/customers/?limit=200";
            if let Ok(p) = admin::get::<Page<Customer>>(&token, path).await {
                customers.set(p.results);
            }
            if let Ok(o) = admin::overview(&token).await {
                names.set(names_of(&o));
                devices.set(
                    o.devices
                        .iter()
                        .map(|d| {
                            (
                                d.device_id.clone(),
                                device_label(&names_of(&o), &d.device_id),
                            )
                        })
                        .collect(),
                );
            }
        });
    });
    let more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        more_busy.set(true);
        run(async move {
            let path = format!(
                "/api/v1/admin/sales/{}",
                filter.query(&[("limit", PAGE_SIZE), ("cursor", cursor.as_str())])
            );
            match admin::get::<CursorPage<SaleView>>(&admin.token(), &path).await {
                Ok(p) => {
                    next.set(p.next_cursor);
                    sales.update(|s| s.get_or_insert_with(Vec::new).extend(p.results));
                }
                Err(e) => admin.fail(&e),
            }
            more_busy.set(false);
        });
    };
    let selected = move || {
        query
            .with(|q| q.get("sale"))
            .and_then(|s| s.parse::<i64>().ok())
    };
    let navigate = use_navigate();
    let open = move |id: i64| navigate(&format!("/admin/ventas?sale={id}"), Default::default());
    let rows = move || {
        let l = lang.get();
        let open = open.clone();
        sales.with(|list| {
            list.as_ref().map(|list| {
                if list.is_empty() {
                    return view! { <tr><td colspan="9" class="empty muted" data-testid="sales-empty">{text(l, key!("admin.sales.none"))}</td></tr> }.into_any();
                }
                names.with(|n| {
                    list.iter()
                        .map(|s| sale_row(l, n, s, selected() == Some(s.id), open.clone()))
                        .collect_view()
                        .into_any()
                })
            })
        })
    };
    let count = move || {
        sales.with(|s| {
            s.as_ref().map(|s| {
                let more = if next.with(Option::is_some) { "+" } else { "" };
                format!(
                    "{}{more} {}",
                    s.len(),
                    text(lang.get(), key!("admin.sales.count"))
                )
            })
        })
    };
    view! {
        <FilterBar filter loader sellers customers devices/>
        {move || selected().map(|sale_id| view! { <SaleDetail sale_id names sales/> })}
        <section class="card">
            <p class="muted small sales-count" data-testid="sales-count">{count}</p>
            <div class="table-scroll">
                <table class="data sales-table" data-testid="sales">
                    <thead><tr>
                        <th>{t(key!("admin.col.sale"))}</th><th>{t(key!("admin.sales.col.date"))}</th>
                        <th>{t(key!("admin.col.seller"))}</th><th>{t(key!("admin.col.device"))}</th>
                        <th>{t(key!("admin.col.customer"))}</th><th>{t(key!("sale.payment"))}</th>
                        <th>{t(key!("admin.col.state"))}</th><th>{t(key!("admin.sales.col.sync"))}</th>
                        <th class="num">{t(key!("admin.col.total"))}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="pager">
                <button type="button" class="secondary" data-testid="sales-more"
                    disabled=move || next.with(Option::is_none) || more_busy.get() on:click=more>
                    {t(key!("admin.sales.more"))}
                </button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::detail::void_reason;
    use super::*;
    use crate::services::admin::LogRow;
    use serde_json::{json, Value};

    fn log_row(action: &str, detail: Option<Value>) -> LogRow {
        serde_json::from_value(json!({
            "id": 1, "chain": "system", "action": action, "user_id": 1, "username": "admin",
            "seller_code": null, "device_id": null, "ip": null, "user_agent": null,
            "sale_id": 7, "local_id": null, "success": true, "error": null,
            "timestamp": "2026-12-07T10:00:00.000Z", "prev_hash": "", "hash": "",
            "detail": detail
        }))
        .unwrap()
    }

    #[test]
    fn the_void_reason_comes_from_the_void_row() {
        let log = [
            log_row("create_sale", None),
            log_row(
                "void_sale",
                Some(json!({"reason": "Cliente devolvió", "version": 2})),
            ),
        ];
        assert_eq!(void_reason(&log).as_deref(), Some("Cliente devolvió"));
        assert_eq!(void_reason(&log[..1]), None);
    }

    #[test]
    fn a_device_shows_its_name_else_its_short_id() {
        let names: Names = [("tab-1".to_owned(), "Camión 3".to_owned())].into();
        assert_eq!(device_label(&names, "tab-1"), "Camión 3");
        assert_eq!(
            device_label(&names, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
            "0193a1b2-c3d4…"
        );
    }
}
