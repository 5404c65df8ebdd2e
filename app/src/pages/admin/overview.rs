//! `/admin` (Resumen): sync health at a glance, live over the admin
//! channels: devices, today's sales, what is waiting, and four charts.
use super::{run, use_admin, watch, Admin, AdminPage, Reloader, Section};
use crate::components::charts::{Bar, BarChart, RowChart};
use crate::components::connection_badge::ConnectionBadge;
use crate::i18n::{money, t, text, when, Key, Lang};
use crate::services::admin::{self, Overview as Data};
use crate::services::live::Status;
use leptos::prelude::*;

#[component]
pub fn Overview() -> impl IntoView {
    view! { <AdminPage section=Section::Overview><OverviewBody/></AdminPage> }
}

#[component]
fn Kpi(
    label: Key,
    value: Signal<String>,
    #[prop(optional)] note: Option<Signal<String>>,
    testid: &'static str,
    #[prop(default = "")] tone: &'static str,
) -> impl IntoView {
    view! {
        <div class=format!("kpi {tone}") data-testid=testid>
            <span class="kpi-label">{t(label)}</span>
            <strong class="kpi-value">{move || value.get()}</strong>
            {note.map(|n| view! { <span class="kpi-note muted">{move || n.get()}</span> })}
        </div>
    }
}

fn hour_bars(data: &Data) -> Vec<Bar> {
    data.sales_per_hour
        .iter()
        .enumerate()
        .map(|(h, n)| Bar {
            label: format!("{h}h"),
            value: *n,
        })
        .collect()
}

fn day_bars(data: &Data) -> Vec<Bar> {
    data.errors_per_day
        .iter()
        .map(|d| Bar {
            label: d.date.get(5..).unwrap_or(&d.date).replace('-', "/"),
            value: d.count,
        })
        .collect()
}

fn device_rows(data: &Data) -> Vec<Bar> {
    data.uploads_per_device
        .iter()
        .map(|d| Bar {
            label: match &d.seller_code {
                Some(code) => format!("{code} · {}", device_label(data, &d.device_id)),
                None => device_label(data, &d.device_id),
            },
            value: d.uploads,
        })
        .collect()
}

/// The name an admin gave the device, else its short id.
fn device_label(data: &Data, device_id: &str) -> String {
    data.devices
        .iter()
        .find(|d| d.device_id == device_id)
        .and_then(|d| d.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| short(device_id))
}

/// Longest device name the server takes (`PUT /devices/{id}/name/`).
const MAX_DEVICE_NAME_CHARS: usize = 60;

/// Which device is being named, and the name typed so far.
#[derive(Clone, Copy)]
struct Naming {
    device: RwSignal<Option<String>>,
    draft: RwSignal<String>,
}

impl Naming {
    fn start(self, device_id: String, current: String) {
        self.draft.set(current);
        self.device.set(Some(device_id));
    }

    fn save(self, admin: Admin, loader: Reloader) {
        let Some(device_id) = self.device.get_untracked() else {
            return;
        };
        let name = self.draft.get_untracked().trim().to_owned();
        if name.is_empty() || name.chars().count() > MAX_DEVICE_NAME_CHARS {
            let lang = admin.lang.get_untracked();
            return admin.say(text(lang, key!("admin.devices.name_required")));
        }
        run(async move {
            match admin::rename_device(&admin.token(), &device_id, &name).await {
                Ok(_) => {
                    admin.notice.set(None);
                    self.device.set(None);
                    loader.reload();
                }
                Err(e) => admin.fail(&e),
            }
        });
    }
}

/// Device ids are often UUIDs: the first block is enough to tell them apart.
pub(super) fn short(device_id: &str) -> String {
    if device_id.chars().count() > 14 {
        format!("{}…", device_id.chars().take(13).collect::<String>())
    } else {
        device_id.to_owned()
    }
}

#[component]
fn OverviewBody() -> impl IntoView {
    let admin = use_admin();
    let data = RwSignal::new(None::<Data>);
    let status = RwSignal::new(Status::Connecting);
    let loader = Reloader::new(move || async move {
        match admin::overview(&admin.token()).await {
            Ok(d) => {
                admin.notice.set(None);
                data.set(Some(d));
            }
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    watch(
        admin,
        &["/ws/sync/status/", "/ws/sync/queue/", "/ws/sync/conflicts/"],
        status,
        move |_| loader.reload(),
    );
    let lang = admin.lang;
    let naming = Naming {
        device: RwSignal::new(None),
        draft: RwSignal::new(String::new()),
    };
    let field = move |f: fn(&Data, Lang) -> String| {
        Signal::derive(move || {
            data.with(|d| {
                d.as_ref()
                    .map(|d| f(d, lang.get()))
                    .unwrap_or_else(|| "…".into())
            })
        })
    };
    let charts = move || {
        data.with(|d| {
            d.as_ref().map(|d| {
                let l = lang.get();
                view! {
                    <div class="chart-grid">
                        <figure class="card chart-card">
                            <figcaption>{text(l, key!("admin.chart.hourly"))}</figcaption>
                            <BarChart bars=hour_bars(d) caption=text(l, key!("admin.chart.hourly")) label_every=3 testid="chart-hourly"/>
                        </figure>
                        <figure class="card chart-card">
                            <figcaption>{text(l, key!("admin.chart.devices"))}</figcaption>
                            {if d.uploads_per_device.is_empty() {
                                view! { <p class="empty muted" data-testid="chart-devices">{text(l, key!("admin.chart.no_uploads"))}</p> }.into_any()
                            } else {
                                view! { <RowChart rows=device_rows(d) caption=text(l, key!("admin.chart.devices")) testid="chart-devices"/> }.into_any()
                            }}
                        </figure>
                        <figure class="card chart-card">
                            <figcaption>{text(l, key!("admin.chart.latency"))}</figcaption>
                            <BarChart bars=d.latency.iter().map(|b| Bar { label: b.label.clone(), value: b.count }).collect() caption=text(l, key!("admin.chart.latency")) testid="chart-latency" tone="bar alt"/>
                        </figure>
                        <figure class="card chart-card">
                            <figcaption>{text(l, key!("admin.chart.errors"))}</figcaption>
                            <BarChart bars=day_bars(d) caption=text(l, key!("admin.chart.errors")) label_every=2 testid="chart-errors" tone="bar danger"/>
                        </figure>
                    </div>
                }
            })
        })
    };
    let devices = move || {
        data.with(|d| {
            d.as_ref().map(|d| {
                d.devices
                    .iter()
                    .map(|dev| {
                        let online = dev.online;
                        let id = dev.device_id.clone();
                        let name = dev.name.clone().filter(|n| !n.trim().is_empty());
                        let (row_id, title) = (id.clone(), id.clone());
                        let cell = device_cell(naming, admin, loader, id, name);
                        view! {
                            <tr data-testid="device-row" data-device=row_id>
                                <td title=title data-testid="device-name">{cell}</td>
                                <td>{dev.username.clone()}</td>
                                <td>{dev.seller_code.clone().unwrap_or_default()}</td>
                                <td><span class=if online { "pill ok" } else { "pill" }>{t(if online { key!("admin.online") } else { key!("admin.offline") })}</span></td>
                                <td>{dev.last_seen_at.as_deref().map(when).unwrap_or_default()}</td>
                                <td>{dev.last_sync_at.as_deref().map(when).unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="toolbar">
            <ConnectionBadge status=status/>
            <span class="muted">{move || data.with(|d| d.as_ref().map(|d| format!("{} {}", text(lang.get(), key!("admin.updated")), when(&d.generated_at))))}</span>
        </div>
        <div class="kpis">
            <Kpi label=key!("admin.kpi.sales_today") testid="kpi-sales" value=field(|d, _| d.sales_today.count.to_string())
                note=field(|d, l| format!("$ {}", money(l, &d.sales_today.amount)))/>
            <Kpi label=key!("admin.kpi.devices") testid="kpi-devices" value=field(|d, _| format!("{} / {}", d.devices_online, d.devices_total))
                note=field(|_, l| text(l, key!("admin.kpi.devices_note")).to_owned())/>
            <Kpi label=key!("admin.kpi.pending") testid="kpi-pending" value=field(|d, _| d.sync.pending.to_string())/>
            <Kpi label=key!("admin.kpi.errors") testid="kpi-errors" tone="warn" value=field(|d, _| d.sync.error.to_string())/>
            <Kpi label=key!("admin.kpi.conflicts") testid="kpi-conflicts" tone="warn" value=field(|d, _| d.sync.conflict.to_string())/>
            <Kpi label=key!("admin.kpi.queue") testid="kpi-queue" value=field(|d, _| d.retry_queue.to_string())/>
        </div>
        {charts}
        <section class="card">
            <h2>{t(key!("admin.devices"))}</h2>
            <table class="data">
                <thead><tr>
                    <th>{t(key!("admin.col.device"))}</th><th>{t(key!("admin.col.user"))}</th><th>{t(key!("admin.col.seller"))}</th>
                    <th>{t(key!("admin.col.state"))}</th><th>{t(key!("admin.col.last_seen"))}</th><th>{t(key!("admin.col.last_sync"))}</th>
                </tr></thead>
                <tbody>{devices}</tbody>
            </table>
            <p class="muted small">{move || data.with(|d| d.as_ref().filter(|d| d.devices_total > d.devices.len() as i64).map(|d| format!("{} / {}", d.devices.len(), d.devices_total)))}</p>
        </section>
    }
}

/// A device's name (or short id) with "Nombrar", or the form naming it.
fn device_cell(
    naming: Naming,
    admin: Admin,
    loader: Reloader,
    id: String,
    name: Option<String>,
) -> impl IntoView {
    let editing = {
        let id = id.clone();
        move || naming.device.with(|d| d.as_deref() == Some(id.as_str()))
    };
    let shown = name.clone().unwrap_or_else(|| short(&id));
    let named = name.is_some();
    let start = move |_| naming.start(id.clone(), name.clone().unwrap_or_default());
    view! {
        <Show when=editing.clone()
            fallback=move || {
                let start = start.clone();
                view! {
                    <span class="device-cell">
                        <span class=if named { "device-label" } else { "device-label mono" }>{shown.clone()}</span>
                        <button type="button" class="link small" data-testid="device-rename" on:click=start>{t(key!("admin.devices.rename"))}</button>
                    </span>
                }
            }>
            <form class="inline-form device-name-form" on:submit=move |ev| { ev.prevent_default(); naming.save(admin, loader); }>
                <input data-testid="device-name-input" maxlength="60" aria-label=t(key!("admin.devices.name"))
                    placeholder=t(key!("admin.devices.name_placeholder"))
                    prop:value=move || naming.draft.get() on:input=move |ev| naming.draft.set(event_target_value(&ev))/>
                <button type="submit" class="primary" data-testid="device-name-save">{t(key!("admin.save"))}</button>
                <button type="button" class="link" on:click=move |_| naming.device.set(None)>{t(key!("admin.cancel"))}</button>
            </form>
        </Show>
    }
}
