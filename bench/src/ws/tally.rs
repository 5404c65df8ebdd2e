//! After the run: match every receipt to the POST that caused it, by
//! `(sheet, product_id, version)` — the line's version grows by one on
//! every accepted change and both the POST's answer and the event carry
//! it — and count, per subscriber, the `seq`s it should have seen (all of
//! its stream's events after its `hello`), missed and duplicated.
use super::subscriber::Outcome;
use super::ticker::Post;
use anyhow::Result;
use hdrhistogram::Histogram;
use std::collections::HashMap;
use std::time::Instant;

pub struct Tally {
    /// POST send → receipt, µs, first receipt of each event per subscriber.
    pub latency_us: Histogram<u64>,
    /// The same, only where POST and subscriber were on different instances.
    pub cross_us: Histogram<u64>,
    /// POST answer → receipt, µs (0 when the event came first): delivery
    /// alone, without the time the write itself took.
    pub after_answer_us: Histogram<u64>,
    /// Successful POSTs × subscribers of that sheet.
    pub expected_by_posts: u64,
    /// Σ over subscribers of (stream's last seq − hello seq).
    pub expected_by_stream: u64,
    pub received: u64,
    pub missed: u64,
    pub duplicated: u64,
    /// Receipts no successful POST explains.
    pub unmatched: u64,
    /// POSTs answered with a version another POST already had (no change).
    pub no_ops: u64,
}

fn histogram() -> Result<Histogram<u64>> {
    Ok(Histogram::new_with_bounds(1, 600_000_000, 3)?)
}

pub fn count(posts: &[Post], subs: &mut [Outcome], last_seq: &[i64]) -> Result<Tally> {
    // (sheet, product, version) → (sent, answered, instance)
    let mut sent: HashMap<(u16, u32, u32), (Instant, Instant, u8)> =
        HashMap::with_capacity(posts.len());
    let mut no_ops = 0;
    let mut changes = vec![0u64; last_seq.len()];
    for p in posts {
        let Some(version) = p.version else { continue };
        let key = (p.sheet, p.product_id, version);
        match sent.get_mut(&key) {
            Some(earlier) => {
                no_ops += 1;
                if p.sent < earlier.0 {
                    *earlier = (p.sent, p.sent + p.latency, p.instance);
                }
            }
            None => {
                sent.insert(key, (p.sent, p.sent + p.latency, p.instance));
                changes[p.sheet as usize] += 1;
            }
        }
    }
    let mut t = Tally {
        latency_us: histogram()?,
        cross_us: histogram()?,
        after_answer_us: histogram()?,
        expected_by_posts: 0,
        expected_by_stream: 0,
        received: 0,
        missed: 0,
        duplicated: 0,
        unmatched: 0,
        no_ops,
    };
    for sub in subs.iter_mut() {
        let last = last_seq[sub.sheet];
        let expected = (last - sub.hello_seq).max(0) as u64;
        t.expected_by_posts += changes[sub.sheet];
        t.expected_by_stream += expected;
        // Stable: the first arrival of a seq stays first.
        sub.receipts.sort_by_key(|r| r.seq);
        let mut previous = None;
        let mut unique = 0;
        for r in &sub.receipts {
            if previous == Some(r.seq) {
                t.duplicated += 1;
                continue;
            }
            previous = Some(r.seq);
            if i64::from(r.seq) > sub.hello_seq && i64::from(r.seq) <= last {
                unique += 1;
            }
            match sent.get(&(sub.sheet as u16, r.product_id, r.version)) {
                Some(&(at, answered, instance)) => {
                    let us = r.at.saturating_duration_since(at).as_micros() as u64;
                    t.latency_us.saturating_record(us.max(1));
                    let after = r.at.saturating_duration_since(answered).as_micros() as u64;
                    t.after_answer_us.saturating_record(after.max(1));
                    if usize::from(instance) != sub.instance {
                        t.cross_us.saturating_record(us.max(1));
                    }
                }
                None => t.unmatched += 1,
            }
        }
        t.received += unique;
        t.missed += expected - unique.min(expected);
    }
    Ok(t)
}
