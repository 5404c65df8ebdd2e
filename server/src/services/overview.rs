//! The admin dashboard's overview: devices, today's sales, the sync queue
//! and a few small series, in one read.
//!
//! "Today" is the calendar day in the configured time zone (the one sale
//! numbers use). Every sum reads only today's rows through an index: the
//! sales first accepted today (`sales.accepted_at`, covering index), the
//! log rows of today (`sync_log.timestamp`), and failed log rows of the last
//! 14 days (a partial index). Money is summed as exact decimals.
use super::ServiceResult;
use crate::clock;
use crate::db::Db;
use crate::store;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use ruta_shared::audit::SyncAction;
use ruta_shared::sale::SyncStatus;
use std::collections::HashMap;

/// Devices listed at most (the total is reported apart).
pub const MAX_DEVICES: i64 = 200;
/// A device is online when its token was used this recently.
pub const ONLINE_WINDOW: Duration = Duration::minutes(5);
/// Devices in the uploads chart.
pub const TOP_UPLOADERS: i64 = 10;
/// Days in the errors chart, today included.
pub const ERROR_DAYS: i64 = 14;

/// Log actions that are one sale's result of an upload.
pub const UPLOAD_ACTIONS: &[SyncAction] = &[
    SyncAction::CreateSale,
    SyncAction::Duplicate,
    SyncAction::UpdateSale,
    SyncAction::Conflict,
];

/// Sync latency buckets: (label, upper bound in seconds, exclusive).
const LATENCY_BUCKETS: &[(&str, i64)] = &[
    ("< 1 min", 60),
    ("1–5 min", 5 * 60),
    ("5–30 min", 30 * 60),
    ("30 min–2 h", 2 * 3600),
    ("2–12 h", 12 * 3600),
    ("> 12 h", i64::MAX),
];

pub use ruta_shared::admin::{
    DayCount, Device, DeviceUploads, LatencyBucket, Overview, SalesToday, SyncCounts,
};

/// The UTC instant at which `date` starts in `tz` (the first instant of
/// the day when midnight falls in a DST gap).
pub fn day_start(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let mut t = date.and_time(chrono::NaiveTime::MIN);
    // A zone whose midnight is skipped starts the day at the first local
    // time that exists (gaps are at most a few hours).
    for _ in 0..24 * 4 {
        if let Some(local) = tz.from_local_datetime(&t).earliest() {
            return local.with_timezone(&Utc);
        }
        t += Duration::minutes(15);
    }
    t.and_utc()
}

/// Today's sales figures from their acceptance and client times.
struct TodaySales {
    count: i64,
    amount: Decimal,
    per_hour: Vec<i64>,
    latency: Vec<i64>,
}

fn summarise(rows: &[store::sales::AcceptedRow], tz: Tz) -> TodaySales {
    let mut out = TodaySales {
        count: 0,
        amount: Decimal::ZERO,
        per_hour: vec![0; 24],
        latency: vec![0; LATENCY_BUCKETS.len()],
    };
    for r in rows {
        out.count += 1;
        if let Some(total) = r.total.as_deref().and_then(|t| t.parse::<Decimal>().ok()) {
            out.amount += total;
        }
        let Some(accepted) = clock::parse(&r.accepted_at) else {
            continue;
        };
        out.per_hour[accepted.with_timezone(&tz).hour() as usize] += 1;
        // A client clock ahead of the server counts as "< 1 min".
        let secs = clock::parse(&r.created_at)
            .map(|c| (accepted - c).num_seconds())
            .unwrap_or(0);
        let bucket = LATENCY_BUCKETS
            .iter()
            .position(|(_, upper)| secs < *upper)
            .unwrap_or(LATENCY_BUCKETS.len() - 1);
        out.latency[bucket] += 1;
    }
    out
}

/// The two queues the metrics show: sales waiting for the retry worker
/// and webhook deliveries not yet made. A count that cannot be read is
/// `None` (the scrape still answers; `/health` tells why).
pub async fn backlogs(db: &Db) -> (Option<i64>, Option<i64>) {
    let read = db.read();
    let retries = store::sales::retry_queue_len(read).await.ok();
    let deliveries = store::webhooks::pending_deliveries(read).await.ok();
    (retries, deliveries)
}

/// Unsynced sales by status, and how many wait for the retry worker.
pub async fn queue(db: &Db) -> Result<(SyncCounts, i64), sqlx::Error> {
    let read = db.read();
    let mut sync = SyncCounts::default();
    for (status, n) in store::sales::count_by_sync_status(read, SyncStatus::UNSYNCED).await? {
        match SyncStatus::parse(&status) {
            Some(SyncStatus::Pending) => sync.pending = n,
            Some(SyncStatus::Error) => sync.error = n,
            Some(SyncStatus::Conflict) => sync.conflict = n,
            _ => {}
        }
    }
    Ok((sync, store::sales::retry_queue_len(read).await?))
}

pub async fn overview(db: &Db, tz: Tz) -> ServiceResult<Overview> {
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let days: Vec<NaiveDate> = (0..=ERROR_DAYS)
        .map(|i| today - Duration::days(ERROR_DAYS - 1 - i))
        .collect();
    let bounds: Vec<String> = days
        .iter()
        .map(|d| clock::format(day_start(tz, *d)))
        .collect();
    // bounds[ERROR_DAYS - 1] is today's start, bounds[ERROR_DAYS] tomorrow's.
    let (today_from, today_to) = (
        &bounds[ERROR_DAYS as usize - 1],
        &bounds[ERROR_DAYS as usize],
    );
    let read = db.read();
    let actions: Vec<&str> = UPLOAD_ACTIONS.iter().map(SyncAction::as_str).collect();

    let online_since = clock::format(now - ONLINE_WINDOW);
    let (devices_total, devices_online) = store::tokens::device_counts(read, &online_since).await?;
    let device_rows = store::tokens::devices(read, MAX_DEVICES).await?;
    let ids: Vec<&str> = device_rows.iter().map(|d| d.device_id.as_str()).collect();
    let last_sync: HashMap<String, String> = store::audit::last_of_devices(read, &ids, &actions)
        .await?
        .into_iter()
        .collect();
    let names = store::devices::names_of(read, &ids).await?;
    let devices = device_rows
        .into_iter()
        .map(|d| Device {
            name: names.get(&d.device_id).cloned(),
            online: d
                .last_used_at
                .as_deref()
                .is_some_and(|t| t >= online_since.as_str()),
            last_sync_at: last_sync.get(&d.device_id).cloned(),
            device_id: d.device_id,
            username: d.username,
            seller_code: d.seller_code,
            last_seen_at: d.last_used_at,
        })
        .collect();

    let accepted = store::sales::accepted_between(read, today_from, today_to).await?;
    let sales = summarise(&accepted, tz);

    let (sync, retry_queue) = queue(db).await?;

    let uploads_per_device =
        store::audit::count_by_device(read, today_from, today_to, &actions, TOP_UPLOADERS)
            .await?
            .into_iter()
            .map(|(device_id, seller_code, uploads)| DeviceUploads {
                device_id,
                seller_code,
                uploads,
            })
            .collect();

    let mut errors = vec![0; ERROR_DAYS as usize];
    for (i, n) in store::audit::failures_between(read, &bounds).await? {
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| errors.get_mut(i)) {
            *slot = n;
        }
    }

    Ok(Overview {
        generated_at: clock::format(now),
        date: today.format("%Y-%m-%d").to_string(),
        timezone: tz.name().to_owned(),
        devices_total,
        devices_online,
        devices,
        sales_today: SalesToday {
            count: sales.count,
            amount: format!("{:.2}", sales.amount),
        },
        sync,
        retry_queue,
        sales_per_hour: sales.per_hour,
        uploads_per_device,
        latency: LATENCY_BUCKETS
            .iter()
            .zip(sales.latency)
            .map(|((label, _), count)| LatencyBucket {
                label: (*label).to_owned(),
                count,
            })
            .collect(),
        errors_per_day: days
            .iter()
            .take(ERROR_DAYS as usize)
            .zip(errors)
            .map(|(d, count)| DayCount {
                date: d.format("%Y-%m-%d").to_string(),
                count,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(accepted: &str, created: &str, total: &str) -> store::sales::AcceptedRow {
        store::sales::AcceptedRow {
            accepted_at: accepted.into(),
            created_at: created.into(),
            total: Some(total.into()),
        }
    }

    #[test]
    fn sums_exactly_and_buckets_by_local_hour_and_latency() {
        let tz: Tz = "America/Bogota".parse().unwrap();
        let rows = [
            row("2026-02-16T15:00:30.000Z", "2026-02-16T15:00:00Z", "0.10"),
            row("2026-02-16T15:10:00.000Z", "2026-02-16T15:00:00Z", "0.20"),
            row(
                "2026-02-16T20:00:00.000Z",
                "2026-02-16T06:00:00Z",
                "1234.20",
            ),
            row("2026-02-16T05:00:00.000Z", "2026-02-16T06:00:00Z", "1"),
        ];
        let s = summarise(&rows, tz);
        assert_eq!(s.count, 4);
        assert_eq!(format!("{:.2}", s.amount), "1235.50");
        assert_eq!(s.per_hour[10], 2, "15:00 UTC is 10:00 in Bogotá");
        assert_eq!(s.per_hour[15], 1);
        assert_eq!(s.per_hour[0], 1);
        assert_eq!(s.latency, vec![2, 0, 1, 0, 0, 1]);
    }

    #[test]
    fn zero_amount_has_two_decimals() {
        assert_eq!(format!("{:.2}", Decimal::ZERO), "0.00");
    }

    #[test]
    fn day_starts_in_the_zone() {
        let tz: Tz = "America/Bogota".parse().unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 2, 16).unwrap();
        assert_eq!(clock::format(day_start(tz, d)), "2026-02-16T05:00:00.000Z");
        // Midnight does not exist on a DST start day in Santiago.
        let tz: Tz = "America/Santiago".parse().unwrap();
        let d = NaiveDate::from_ymd_opt(2025, 9, 7).unwrap();
        assert_eq!(clock::format(day_start(tz, d)), "2025-09-07T04:00:00.000Z");
    }
}
