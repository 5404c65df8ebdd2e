//! `ruta-bench`: drives a real `ruta serve` over HTTP and reports
//! throughput, latency, errors and memory, then verifies what was stored.
//!
//! `cargo run --release -p ruta-bench -- all` runs every scenario;
//! `… -- sync new|retry-storm|all-repeats [sqlite|postgres] [seconds]` runs one;
//! `… -- dup-load [sqlite|postgres] [seconds]` compares all new with all
//! repeats under the same 32-connection load;
//! `… -- ws [sqlite|postgres] [seconds]` the WebSocket fan-out;
//! `… -- admin` the admin dashboard's reads on a big SQLite database.
mod admin;
mod ceiling;
mod load;
mod report;
mod sampler;
mod server_proc;
mod ws;

use anyhow::{bail, Result};
use load::Mode;
use server_proc::Backend;

const WS_SECS: u64 = 30;

fn backend(arg: Option<&str>) -> Backend {
    match arg {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["all"] | [] => {
            let mut rows = Vec::new();
            for mode in [Mode::New, Mode::RetryStorm, Mode::AllRepeats] {
                rows.push(load::run(mode, Backend::Sqlite, 20, 32).await?);
            }
            if server_proc::postgres_available().await {
                rows.push(load::run(Mode::New, Backend::Postgres, 20, 32).await?);
            }
            let dup = load::duplicate_cost(Backend::Sqlite).await?;
            let ceiling = ceiling::sqlite_rows_per_sec(5).await?;
            report::print(&rows, &dup, ceiling);
            report::print_loaded_duplicate_cost_of(&rows);
            let mut fan_out = vec![ws::run(Backend::Sqlite, WS_SECS).await?];
            if server_proc::postgres_available().await {
                fan_out.push(ws::run(Backend::Postgres, WS_SECS).await?);
            }
            println!();
            ws::print(&fan_out);
            println!();
            admin::print(&admin::run().await?);
        }
        ["admin"] => admin::print(&admin::run().await?),
        ["sync", mode, rest @ ..] => {
            let mode = match *mode {
                "new" => Mode::New,
                "retry-storm" => Mode::RetryStorm,
                "all-repeats" => Mode::AllRepeats,
                other => bail!("unknown mode {other}"),
            };
            let backend = backend(rest.first().copied());
            let secs = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
            let row = load::run(mode, backend, secs, 32).await?;
            report::print(
                &[row],
                &load::duplicate_cost(backend).await?,
                ceiling::sqlite_rows_per_sec(5).await?,
            );
        }
        ["dup", rest @ ..] => {
            report::print_duplicate_cost(
                &load::duplicate_cost(backend(rest.first().copied())).await?,
            );
        }
        ["dup-load", rest @ ..] => {
            let backend = backend(rest.first().copied());
            let secs = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
            let new = load::run(Mode::New, backend, secs, 32).await?;
            let repeats = load::run(Mode::AllRepeats, backend, secs, 32).await?;
            report::print_loaded_duplicate_cost(&new, &repeats);
        }
        ["ws", rest @ ..] => {
            let backend = backend(rest.first().copied());
            let secs = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(WS_SECS);
            ws::print(&[ws::run(backend, secs).await?]);
        }
        _ => bail!(
            "usage: ruta-bench all | sync new|retry-storm|all-repeats [sqlite|postgres] [seconds] | dup [sqlite|postgres] | dup-load [sqlite|postgres] [seconds] | ws [sqlite|postgres] [seconds] | admin"
        ),
    }
    Ok(())
}
