//! Prints the results as Markdown tables (pasted into BENCHMARKS.md).
use crate::load::{DuplicateCost, Mode, RunResult};

pub fn print(rows: &[RunResult], dup: &DuplicateCost, ceiling: f64) {
    print_table(rows);
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

/// The two runs' table, then a duplicate's server time per sale under that
/// load as a share of a new sale's (the runs' sales/s, inverted).
pub fn print_loaded_duplicate_cost(new: &RunResult, repeats: &RunResult) {
    print_table(&[new, repeats]);
    println!();
    print_loaded_cost_line(new, repeats);
}

/// The loaded duplicate cost of the first SQLite all-new and all-repeats
/// runs among `rows`, if both are there.
pub fn print_loaded_duplicate_cost_of(rows: &[RunResult]) {
    let sqlite = |mode: Mode| {
        rows.iter()
            .find(|r| r.backend == crate::server_proc::Backend::Sqlite && r.mode == mode)
    };
    if let (Some(new), Some(repeats)) = (sqlite(Mode::New), sqlite(Mode::AllRepeats)) {
        print_loaded_cost_line(new, repeats);
    }
}

fn print_loaded_cost_line(new: &RunResult, repeats: &RunResult) {
    let per_sale_ms = |r: &RunResult| {
        if r.sales_sent > 0 {
            r.secs * 1000.0 / r.sales_sent as f64
        } else {
            0.0
        }
    };
    print_cost_line(
        "under load (32 connections, time per sale = 1 / sales per second)",
        per_sale_ms(new),
        per_sale_ms(repeats),
    );
}

fn print_table<R: std::borrow::Borrow<RunResult>>(rows: &[R]) {
    println!("| backend | mode | sales/s | requests/s | p50 ms | p95 ms | p99 ms | errors | unique sent | stored | verified | max RSS MB |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let r = r.borrow();
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
}

pub fn print_duplicate_cost(dup: &DuplicateCost) {
    print_cost_line(
        "(median per sale, sequential batches of 10)",
        dup.new_ms,
        dup.duplicate_ms,
    );
}

fn print_cost_line(how: &str, new_ms: f64, dup_ms: f64) {
    println!(
        "Duplicate cost {how}: new {new_ms:.3} ms, duplicate {dup_ms:.3} ms, ratio {:.2}",
        if new_ms > 0.0 { dup_ms / new_ms } else { 0.0 }
    );
}
