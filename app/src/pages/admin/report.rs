//! `/admin/reporte`: the daily report. Per business day and seller the
//! confirmed sales, the voids and the money by payment method, with a
//! totals row; a chart of the money per seller per day; the same rows as
//! CSV. The range starts as the last 7 days.
use super::{run, seller_options, use_admin, AdminPage, Reloader, Section};
use crate::components::charts::{GroupedBarChart, Series};
use crate::i18n::{money, payment_key, t, text, Lang};
use crate::services::admin;
use crate::services::cargue::{self, Seller};
use crate::services::pwa;
use leptos::prelude::*;
use ruta_shared::report::{DailyReport, DailyRow};
use ruta_shared::sale::PaymentMethod;

#[component]
pub fn Report() -> impl IntoView {
    view! { <AdminPage section=Section::Report><ReportBody/></AdminPage> }
}

/// `YYYY-MM-DD` in the business's time zone, `days_ago` days before
/// today; `None` without a browser.
fn business_day(days_ago: u32) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        let now = js_sys::Date::now() - f64::from(days_ago) * 86_400_000.0;
        let date = js_sys::Date::new(&JsValue::from_f64(now));
        let options = js_sys::Object::new();
        if let Some(zone) = crate::page_meta("ruta-timezone") {
            js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into()).ok()?;
        }
        for (field, style) in [
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
        ] {
            js_sys::Reflect::set(&options, &field.into(), &style.into()).ok()?;
        }
        // Swedish writes dates as ISO does.
        let locales = js_sys::Array::of1(&"sv-SE".into());
        let format = js_sys::Intl::DateTimeFormat::new(&locales, &options);
        format.format().call1(&format, &date).ok()?.as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = days_ago;
        None
    }
}

#[derive(Clone, Copy)]
struct Filter {
    from: RwSignal<String>,
    to: RwSignal<String>,
    seller: RwSignal<String>,
}

impl Filter {
    fn query(self) -> String {
        let (from, to, seller) = (
            self.from.get_untracked(),
            self.to.get_untracked(),
            self.seller.get_untracked(),
        );
        admin::query(&[("from", &from), ("to", &to), ("seller", &seller)])
    }
}

/// Whole units of a money text (`"1500.50"` → 1500), for the chart.
fn whole(amount: &str) -> i64 {
    amount
        .split('.')
        .next()
        .and_then(|u| u.parse().ok())
        .unwrap_or(0)
}

/// The days of the rows (in order) and one series per seller.
fn chart_data(rows: &[DailyRow]) -> (Vec<String>, Vec<Series>) {
    let mut days: Vec<String> = rows.iter().map(|r| r.date.clone()).collect();
    days.dedup();
    let mut sellers: Vec<String> = rows.iter().map(|r| r.seller_code.clone()).collect();
    sellers.sort();
    sellers.dedup();
    let series = sellers
        .into_iter()
        .map(|code| Series {
            values: days
                .iter()
                .map(|d| {
                    rows.iter()
                        .find(|r| &r.date == d && r.seller_code == code)
                        .map_or(0, |r| whole(&r.total))
                })
                .collect(),
            name: code,
        })
        .collect();
    let labels = days
        .iter()
        .map(|d| d.get(5..).unwrap_or(d).replace('-', "/"))
        .collect();
    (labels, series)
}

fn row_cells(lang: Lang, r: &DailyRow) -> impl IntoView {
    let m = |a: &str| money(lang, a);
    view! {
        <td class="num">{r.sales}</td>
        <td class="num">{r.voided}</td>
        <td class="num">{m(&r.cash)}</td>
        <td class="num">{m(&r.transfer)}</td>
        <td class="num">{m(&r.card)}</td>
        <td class="num">{m(&r.credit)}</td>
        <td class="num total">{m(&r.total)}</td>
    }
}

#[component]
fn ReportBody() -> impl IntoView {
    let admin = use_admin();
    let lang = admin.lang;
    let filter = Filter {
        from: RwSignal::new(String::new()),
        to: RwSignal::new(String::new()),
        seller: RwSignal::new(String::new()),
    };
    let sellers = RwSignal::new(Vec::<Seller>::new());
    let report = RwSignal::new(None::<DailyReport>);
    let loader = Reloader::new(move || async move {
        let path = format!("/api/v1/reports/daily/{}", filter.query());
        match admin::get::<DailyReport>(&admin.token(), &path).await {
            Ok(r) => {
                admin.notice.set(None);
                report.set(Some(r));
            }
            Err(e) => admin.fail(&e),
        }
    });
    // Once in the browser: the last 7 days, the sellers, the first load.
    Effect::new(move |_| {
        if filter.to.get_untracked().is_empty() {
            filter.to.set(business_day(0).unwrap_or_default());
            filter.from.set(business_day(6).unwrap_or_default());
        }
        loader.reload();
        run(async move {
            if let Ok(list) = cargue::sellers(&admin.token()).await {
                sellers.set(list);
            }
        });
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        loader.reload();
    };
    let csv_href = move || {
        filter.from.track();
        filter.to.track();
        filter.seller.track();
        format!("/api/v1/reports/daily.csv{}", filter.query())
    };
    // The endpoint wants the token in a header: fetched, then saved.
    let export = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        run(async move {
            let path = format!("/api/v1/reports/daily.csv{}", filter.query());
            let name = format!(
                "ruta-ventas-{}-{}.csv",
                filter.from.get_untracked(),
                filter.to.get_untracked()
            );
            match admin::export_csv(&admin.token(), &path).await {
                Ok(csv) => pwa::download_as(&name, "text/csv", &csv),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let seller_options = move || seller_options(sellers.get());
    let rows = move || {
        let l = lang.get();
        report.with(|r| {
            r.as_ref().map(|r| {
                r.rows
                    .iter()
                    .map(|row| {
                        view! {
                            <tr data-testid="report-row" data-date=row.date.clone() data-seller=row.seller_code.clone()
                                data-total=row.total.clone()>
                                <td>{row.date.clone()}</td>
                                <td>{row.seller_code.clone()}</td>
                                {row_cells(l, row)}
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let totals = move || {
        let l = lang.get();
        report.with(|r| {
            r.as_ref().map(|r| {
                view! {
                    <tr class="totals-row" data-testid="report-totals" data-total=r.totals.total.clone()>
                        <th colspan="2">{text(l, key!("report.totals"))}</th>
                        {row_cells(l, &r.totals)}
                    </tr>
                }
            })
        })
    };
    let chart = move || {
        let l = lang.get();
        report.with(|r| {
            r.as_ref().map(|r| {
                if r.rows.is_empty() {
                    return view! { <p class="empty muted" data-testid="report-empty">{text(l, key!("report.none"))}</p> }.into_any();
                }
                let (groups, series) = chart_data(&r.rows);
                view! {
                    <GroupedBarChart groups series caption=text(l, key!("report.chart")) testid="report-chart"/>
                }
                .into_any()
            })
        })
    };
    let bind = |s: RwSignal<String>| (move || s.get(), move |ev| s.set(event_target_value(&ev)));
    let (from_value, from_input) = bind(filter.from);
    let (to_value, to_input) = bind(filter.to);
    let (seller_value, seller_input) = bind(filter.seller);
    let pay = |m: PaymentMethod| t(payment_key(m));
    view! {
        <form class="filters toolbar" on:submit=apply>
            <label class="inline">{t(key!("admin.log.since"))}<input type="date" data-testid="report-from" prop:value=from_value on:input=from_input/></label>
            <label class="inline">{t(key!("admin.log.until"))}<input type="date" data-testid="report-to" prop:value=to_value on:input=to_input/></label>
            <select data-testid="report-seller" prop:value=seller_value on:change=seller_input>
                <option value="">{t(key!("report.all_sellers"))}</option>
                {seller_options}
            </select>
            <button type="submit" class="primary" data-testid="report-apply">{t(key!("admin.filter"))}</button>
            <a class="button secondary-link" href=csv_href data-testid="report-csv" on:click=export>{t(key!("admin.log.export"))}</a>
        </form>
        <figure class="card chart-card report-chart">
            <figcaption>{t(key!("report.chart"))}</figcaption>
            {chart}
        </figure>
        <section class="card report-table">
            <div class="table-scroll">
                <table class="data" data-testid="report">
                    <thead><tr>
                        <th>{t(key!("report.date"))}</th><th>{t(key!("admin.col.seller"))}</th>
                        <th class="num">{t(key!("report.sales"))}</th><th class="num">{t(key!("report.voided"))}</th>
                        <th class="num">{pay(PaymentMethod::Cash)}</th><th class="num">{pay(PaymentMethod::Transfer)}</th>
                        <th class="num">{pay(PaymentMethod::Card)}</th><th class="num">{pay(PaymentMethod::Credit)}</th>
                        <th class="num">{t(key!("admin.col.total"))}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                    <tfoot>{totals}</tfoot>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: &str, seller: &str, total: &str) -> DailyRow {
        DailyRow {
            date: date.into(),
            seller_code: seller.into(),
            sales: 1,
            voided: 0,
            cash: total.into(),
            transfer: "0.00".into(),
            card: "0.00".into(),
            credit: "0.00".into(),
            total: total.into(),
        }
    }

    #[test]
    fn the_chart_has_a_bar_per_seller_per_day() {
        let rows = [
            row("2026-02-16", "ID1", "1500.50"),
            row("2026-02-16", "ID2", "10.00"),
            row("2026-02-17", "ID1", "7.00"),
        ];
        let (days, series) = chart_data(&rows);
        assert_eq!(days, vec!["02/16", "02/17"]);
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].name, "ID1");
        assert_eq!(series[0].values, vec![1500, 7]);
        assert_eq!(series[1].values, vec![10, 0]);
    }
}
