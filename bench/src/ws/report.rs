//! Prints the fan-out results as a Markdown table plus the details behind
//! it (pasted into BENCHMARKS.md).
use super::{WsResult, PER_SHEET, SHEETS};
use hdrhistogram::Histogram;

fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}

fn mbs(r: &WsResult, f: impl Fn(&crate::sampler::Rss) -> f64) -> String {
    let servers = r.rss.len().saturating_sub(1);
    r.rss[..servers]
        .iter()
        .map(|x| format!("{:.0}", f(x)))
        .collect::<Vec<_>>()
        .join(" / ")
}

pub fn print(rows: &[WsResult]) {
    println!(
        "{} subscribers ({SHEETS} sheets × {PER_SHEET}), check POSTs at 100/s; latency = POST send → event receipt on each subscriber.",
        SHEETS * PER_SHEET
    );
    println!("\"Events due\": every event each subscriber's stream got after its hello (a POST that found the line already set makes none); missed and duplicated count against it, per subscriber by seq.");
    println!();
    println!("| backend | instances | secs | POSTs (errors) | p50 ms | p99 ms | max ms | ticks × 100 | events due | received | missed | duplicated | peak RSS MB | end RSS MB |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let t = &r.tally;
        println!(
            "| {} | {} | {} | {} ({}) | {:.1} | {:.1} | {:.1} | {} | {} | {} | {} | {} | {} | {} |",
            r.backend.name(),
            r.server_cpu_secs.len(),
            r.secs,
            r.ticks,
            r.post_errors,
            ms(&t.latency_us, 0.5),
            ms(&t.latency_us, 0.99),
            t.latency_us.max() as f64 / 1000.0,
            r.ticks * PER_SHEET as u64,
            t.expected_by_stream,
            t.received,
            t.missed,
            t.duplicated,
            mbs(r, |x| x.peak_mb),
            mbs(r, |x| x.end_mb),
        );
    }
    for r in rows {
        let t = &r.tally;
        println!();
        println!("{} details:", r.backend.name());
        println!(
            "- ticks sent in {:.2} s ({:.1}/s); POST answer p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            r.ticking.as_secs_f64(),
            r.ticks as f64 / r.ticking.as_secs_f64().max(1e-9),
            ms(&r.post_latency_us, 0.5),
            ms(&r.post_latency_us, 0.99),
            r.post_latency_us.max() as f64 / 1000.0,
        );
        if let Some(e) = &r.first_post_error {
            println!("- first POST error: {e}");
        }
        println!(
            "- expected by POSTs {} / by the streams' seq {}; receipts in the histogram {}; unmatched {}; no-op POSTs {}",
            t.expected_by_posts,
            t.expected_by_stream,
            t.latency_us.len(),
            t.unmatched,
            t.no_ops
        );
        println!(
            "- POST answer → receipt (delivery alone; 0 when the event came first): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            ms(&t.after_answer_us, 0.5),
            ms(&t.after_answer_us, 0.99),
            t.after_answer_us.max() as f64 / 1000.0
        );
        if !t.cross_us.is_empty() {
            println!(
                "- across instances only ({} receipts): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                t.cross_us.len(),
                ms(&t.cross_us, 0.5),
                ms(&t.cross_us, 0.99),
                t.cross_us.max() as f64 / 1000.0
            );
        }
        let closes: Vec<String> = r
            .closes
            .iter()
            .map(|(c, n)| match c {
                Some(c) => format!("{n}× code {c}"),
                None => format!("{n}× dropped"),
            })
            .collect();
        println!(
            "- server closed subscribers: {}; gave up reconnecting: {}; all caught up after the load: {}",
            if closes.is_empty() { "none".to_owned() } else { closes.join(", ") },
            r.gave_up,
            if r.drained { "yes" } else { "NO" }
        );
        let cpu: Vec<String> = r
            .server_cpu_secs
            .iter()
            .map(|c| format!("{c:.1}"))
            .collect();
        println!(
            "- CPU seconds during load + drain ({:.1} s wall, {} cores): server {}; bench client {:.1}; client RSS peak {:.0} MB",
            r.cpu_window.as_secs_f64(),
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            cpu.join(" / "),
            r.client_cpu_secs,
            r.rss.last().map(|x| x.peak_mb).unwrap_or(0.0)
        );
        println!("- server log lines at WARN/ERROR: {}", r.warnings.len());
        for w in r.warnings.iter().take(5) {
            println!("  - `{w}`");
        }
    }
}
