//! Small SVG charts drawn from data already on the page (no fetch, no
//! script library): vertical bars with a value axis, and labelled
//! horizontal bars.
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
}

/// Gridline values for an axis that must reach `max`: 0 and 4–6 round
/// steps (1, 2 or 5 × 10ⁿ), the last one at or above `max`.
pub fn ticks(max: i64) -> Vec<i64> {
    if max <= 0 {
        return vec![0, 1];
    }
    let rough = (max as f64 / 4.0).max(1.0);
    let magnitude = 10f64.powi(rough.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude)
        .max(1.0) as i64;
    let mut out = vec![0];
    while *out.last().unwrap_or(&0) < max {
        out.push(out.len() as i64 * step);
    }
    out
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 40.0;

/// Vertical bars; every `label_every`-th bar is labelled under the axis.
#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    /// Read by screen readers and shown as the tooltip of the whole chart.
    #[prop(into)]
    caption: String,
    #[prop(default = 1)] label_every: usize,
    #[prop(optional)] testid: &'static str,
    #[prop(default = "bar")] tone: &'static str,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let grid = ticks(max);
    let top = *grid.last().unwrap_or(&1) as f64;
    let plot_h = H - TOP - BOTTOM;
    let y = move |v: f64| TOP + plot_h - v / top * plot_h;
    let slot = (W - LEFT - RIGHT) / bars.len().max(1) as f64;
    let show_values = bars.len() <= 16;
    let lines = grid
        .iter()
        .map(|v| {
            let at = y(*v as f64);
            view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=at y2=at/>
                <text class="axis-label" x=LEFT - 6.0 y=at + 4.0 text-anchor="end">{v.to_string()}</text>
            }
        })
        .collect_view();
    let columns = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = LEFT + i as f64 * slot;
            let height = b.value as f64 / top * plot_h;
            let label = (i % label_every.max(1) == 0).then(|| {
                view! {
                    <text class="axis-label" x=x + slot / 2.0 y=H - BOTTOM + 16.0 text-anchor="middle">{b.label.clone()}</text>
                }
            });
            let value = (show_values && b.value > 0).then(|| {
                view! {
                    <text class="value-label" x=x + slot / 2.0 y=y(b.value as f64) - 4.0 text-anchor="middle">{b.value.to_string()}</text>
                }
            });
            view! {
                <g data-value=b.value.to_string()>
                    <title>{format!("{}: {}", b.label, b.value)}</title>
                    <rect class=tone x=x + slot * 0.15 y=y(b.value as f64) width=slot * 0.7 height=height rx="2"/>
                    {value}
                    {label}
                </g>
            }
        })
        .collect_view();
    let label = caption.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label data-testid=testid>
            <title>{caption}</title>
            {lines}
            <line class="axis" x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h/>
            {columns}
        </svg>
    }
}

/// One labelled horizontal bar per row, the value at its end.
#[component]
pub fn RowChart(
    rows: Vec<Bar>,
    #[prop(into)] caption: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    const ROW: f64 = 24.0;
    const LABEL: f64 = 170.0;
    let max = rows.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let height = (rows.len().max(1) as f64) * ROW + 8.0;
    let span = W - LABEL - 56.0;
    let lines = rows
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let top = 4.0 + i as f64 * ROW;
            let width = (b.value as f64 / max * span).max(1.0);
            view! {
                <g data-value=b.value.to_string()>
                    <title>{format!("{}: {}", b.label, b.value)}</title>
                    <text class="axis-label" x=LABEL - 8.0 y=top + 16.0 text-anchor="end">{b.label.clone()}</text>
                    <rect class="bar" x=LABEL y=top + 3.0 width=width height=ROW - 8.0 rx="2"/>
                    <text class="value-label" x=LABEL + width + 6.0 y=top + 16.0>{b.value.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    let label = caption.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {height}") role="img" aria-label=label data-testid=testid>
            <title>{caption}</title>
            <line class="axis" x1=LABEL x2=LABEL y1="0" y2=height/>
            {lines}
        </svg>
    }
}

/// One series of a [`GroupedBarChart`]: a name for the legend and one
/// value per group.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<i64>,
}

/// An axis value written short: `950`, `12k`, `1.5M`.
pub fn compact(v: i64) -> String {
    let a = v.unsigned_abs();
    if a >= 1_000_000 {
        let m = v as f64 / 1_000_000.0;
        if a.is_multiple_of(1_000_000) {
            format!("{m:.0}M")
        } else {
            format!("{m:.1}M")
        }
    } else if a >= 1_000 && a.is_multiple_of(1_000) {
        format!("{}k", v / 1_000)
    } else if a >= 10_000 {
        // Half away from zero (`{:.0}` would round 12.5 to even: 12).
        format!("{}k", (v as f64 / 1_000.0).round() as i64)
    } else {
        v.to_string()
    }
}

/// Bars side by side per group (a day), one colour per series (a
/// seller), with a legend under the chart.
#[component]
pub fn GroupedBarChart(
    groups: Vec<String>,
    series: Vec<Series>,
    #[prop(into)] caption: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let grid = ticks(max);
    let top = (*grid.last().unwrap_or(&1)).max(1) as f64;
    let plot_h = H - TOP - BOTTOM;
    let y = move |v: f64| TOP + plot_h - v / top * plot_h;
    let slot = (W - LEFT - RIGHT) / groups.len().max(1) as f64;
    let bar = slot * 0.8 / series.len().max(1) as f64;
    let label_every = groups.len().div_ceil(10).max(1);
    let lines = grid
        .iter()
        .map(|v| {
            let at = y(*v as f64);
            view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=at y2=at/>
                <text class="axis-label" x=LEFT - 6.0 y=at + 4.0 text-anchor="end">{compact(*v)}</text>
            }
        })
        .collect_view();
    let columns = groups
        .iter()
        .enumerate()
        .map(|(g, label)| {
            let x0 = LEFT + g as f64 * slot + slot * 0.1;
            let bars = series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let value = s.values.get(g).copied().unwrap_or(0).max(0);
                    let height = value as f64 / top * plot_h;
                    view! {
                        <rect class=format!("bar s{}", i % 6) x=x0 + i as f64 * bar y=y(value as f64)
                            width=(bar - 1.0).max(1.0) height=height rx="1"
                            data-series=s.name.clone() data-value=value.to_string()>
                            <title>{format!("{label} · {}: {value}", s.name)}</title>
                        </rect>
                    }
                })
                .collect_view();
            let shown = (g % label_every == 0).then(|| {
                view! {
                    <text class="axis-label" x=LEFT + g as f64 * slot + slot / 2.0 y=H - BOTTOM + 16.0 text-anchor="middle">{label.clone()}</text>
                }
            });
            view! { <g data-group=label.clone()>{bars}{shown}</g> }
        })
        .collect_view();
    let legend = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            view! { <li><span class=format!("swatch s{}", i % 6)></span>{s.name.clone()}</li> }
        })
        .collect_view();
    let label = caption.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label data-testid=testid>
            <title>{caption}</title>
            {lines}
            <line class="axis" x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h/>
            {columns}
        </svg>
        <ul class="chart-legend">{legend}</ul>
    }
}

#[cfg(test)]
mod tests {
    use super::ticks;

    #[test]
    fn axis_values_are_written_short() {
        use super::compact;
        assert_eq!(compact(0), "0");
        assert_eq!(compact(950), "950");
        assert_eq!(compact(5_000), "5k");
        assert_eq!(compact(12_500), "13k");
        assert_eq!(compact(2_000_000), "2M");
        assert_eq!(compact(1_500_000), "1.5M");
    }

    #[test]
    fn ticks_are_round_and_reach_the_maximum() {
        assert_eq!(ticks(0), vec![0, 1]);
        assert_eq!(ticks(3), vec![0, 1, 2, 3]);
        assert_eq!(ticks(10), vec![0, 5, 10]);
        assert_eq!(ticks(37), vec![0, 10, 20, 30, 40]);
        assert_eq!(ticks(1234), vec![0, 500, 1000, 1500]);
        for max in 1..2000 {
            let t = ticks(max);
            assert!(*t.last().unwrap() >= max, "{max}");
            assert!(t.len() <= 7, "{max}: {t:?}");
        }
    }
}
