//! Prints the results as Markdown tables (pasted into BENCHMARKS.md).
use crate::load::{DuplicateCost, RunResult};

pub fn print(rows: &[RunResult], dup: &DuplicateCost, ceiling: f64) {
    println!("| backend | mode | sales/s | requests/s | p50 ms | p95 ms | p99 ms | errors | unique sent | stored | verified | max RSS MB |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let q = |p: f64| r.latency_us.value_at_quantile(p) as f64 / 1000.0;
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} | {} | {} | {:.0} |",
            r.backend.name(),
            r.mode.name(),
            r.sales_sent as f64 / r.secs,
            r.requests as f64 / r.secs,
            q(0.5),
            q(0.95),
            q(0.99),
            r.errors,
            r.unique_sent,
            r.stored,
            if r.stored == r.unique_sent as i64 {
                "yes"
            } else {
                "NO"
            },
            r.rss_max_mb,
        );
    }
    println!();
    print_duplicate_cost(dup);
    if let Some(first) = rows
        .iter()
        .find(|r| r.backend == crate::server_proc::Backend::Sqlite)
    {
        let server_rate = first.sales_sent as f64 / first.secs;
        println!(
            "Ceiling (bare in-process sqlx loop, SQLite, one transaction per sale): {:.0} rows/s; server/ceiling = {:.2}",
            ceiling,
            server_rate / ceiling
        );
    }
}

pub fn print_duplicate_cost(dup: &DuplicateCost) {
    println!(
        "Duplicate cost (median per sale, sequential batches of 10): new {:.3} ms, duplicate {:.3} ms, ratio {:.2}",
        dup.new_ms,
        dup.duplicate_ms,
        if dup.new_ms > 0.0 { dup.duplicate_ms / dup.new_ms } else { 0.0 }
    );
}
