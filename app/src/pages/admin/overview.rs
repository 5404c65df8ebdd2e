//! `/admin` (Resumen): sync health at a glance, live over the admin
//! channels: devices, today's sales, what is waiting, and four charts.
use super::{use_admin, watch, AdminPage, Reloader, Section};
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
                Some(code) => format!("{code} · {}", short(&d.device_id)),
                None => short(&d.device_id),
            },
            value: d.uploads,
        })
        .collect()
}

/// Device ids are often UUIDs: the first block is enough to tell them apart.
fn short(device_id: &str) -> String {
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
                        view! {
                            <tr data-testid="device-row">
                                <td class="mono" title=dev.device_id.clone()>{short(&dev.device_id)}</td>
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
