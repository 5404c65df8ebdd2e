//! SQLite only: group commit of new sales. One task takes the new sales
//! (and the duplicates' log rows) of every upload waiting at that moment
//! and stores them in one transaction (one counter update, multi-row
//! INSERTs, one log append for all chains),
//! instead of each upload taking the single writer connection for its own
//! ~9 round trips to sqlx's SQLite worker thread.
//!
//! This is only about speed; correctness still comes from the database:
//! the counter row and the `local_id` unique constraint, as on the
//! per-upload path. A merged transaction that fails, or finds a `local_id`
//! stored meanwhile, is rolled back whole (numbers included); each upload
//! then tries alone, and if that fails too its sales take the per-sale
//! path, which stores a bad sale as an error without blocking the others.
use super::new_sales::{self, Group, ReadySale};
use crate::db::Db;
use crate::services::audit::Entry;
use crate::services::events::Events;
use crate::services::Actor;
use chrono_tz::Tz;
use ruta_shared::sync::UploadResult;
use tokio::sync::{mpsc, oneshot};

/// At most this many sales and duplicates per merged transaction, so one commit never
/// grows without bound under a burst.
const MAX_ROWS_PER_COMMIT: usize = 1_000;

struct Job {
    actor: Actor,
    sales: Vec<ReadySale>,
    duplicates: Vec<Entry>,
    reply: oneshot::Sender<Option<Vec<(usize, UploadResult)>>>,
}

/// What the writer task needs.
struct Writer {
    db: Db,
    timezone: Tz,
    events: Events,
}

/// What the writer task is sent: uploads, and the stop's flush.
enum Message {
    Store(Job),
    /// Answered once every job queued before it is committed and answered.
    Flush(oneshot::Sender<()>),
}

/// The handle uploads send their new sales to.
#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Message>,
}

impl GroupCommit {
    /// Starts the writer on a thread of its own with a single-threaded
    /// runtime: its many short waits for sqlx's SQLite worker then end as
    /// soon as the answer is there, instead of queueing behind request
    /// handling on the main runtime's workers. If the thread cannot start,
    /// every upload writes alone (the per-upload path).
    pub fn spawn(db: Db, timezone: Tz, events: Events) -> Self {
        let (jobs, rx) = mpsc::channel(1_024);
        let writer = Writer {
            db,
            timezone,
            events,
        };
        let started = std::thread::Builder::new()
            .name("ruta-writer".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(writer.run(rx)),
                    Err(e) => tracing::error!(error = %e, "cannot start the group writer"),
                }
            });
        if let Err(e) = started {
            tracing::error!(error = %e, "cannot start the group writer thread");
        }
        Self { jobs }
    }

    /// Stores `sales` and logs `duplicates` (committed, and the sales'
    /// events published, when this returns `Some`: the results by request
    /// position); `None` means nothing was written: the sales take the
    /// per-sale path and the caller logs the duplicates.
    pub async fn store(
        &self,
        actor: &Actor,
        sales: Vec<ReadySale>,
        duplicates: Vec<Entry>,
    ) -> Option<Vec<(usize, UploadResult)>> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            actor: actor.clone(),
            sales,
            duplicates,
            reply,
        };
        self.jobs.send(Message::Store(job)).await.ok()?;
        answer.await.ok().flatten()
    }

    /// The graceful stop: returns once every upload queued so far is
    /// committed and answered (or at once if the writer is gone).
    pub async fn flush(&self) {
        let (done, finished) = oneshot::channel();
        if self.jobs.send(Message::Flush(done)).await.is_ok() {
            let _ = finished.await;
        }
    }
}

impl Writer {
    async fn run(self, mut rx: mpsc::Receiver<Message>) {
        while let Some(first) = rx.recv().await {
            let first = match first {
                Message::Store(job) => job,
                Message::Flush(done) => {
                    let _ = done.send(());
                    continue;
                }
            };
            let mut count = first.sales.len() + first.duplicates.len();
            let mut jobs = vec![first];
            let mut flushes = Vec::new();
            while count < MAX_ROWS_PER_COMMIT && flushes.is_empty() {
                match rx.try_recv() {
                    Ok(Message::Store(job)) => {
                        count += job.sales.len() + job.duplicates.len();
                        jobs.push(job);
                    }
                    // Jobs after a flush wait for the next round, so the
                    // flush is answered after exactly those before it.
                    Ok(Message::Flush(done)) => flushes.push(done),
                    Err(_) => break,
                }
            }
            crate::prometheus::writer_batch(jobs.len(), count);
            self.write(jobs).await;
            for done in flushes {
                let _ = done.send(());
            }
        }
    }

    async fn write(&self, jobs: Vec<Job>) {
        let groups: Vec<Group> = jobs
            .iter()
            .map(|j| Group {
                actor: &j.actor,
                sales: &j.sales,
                duplicates: &j.duplicates,
            })
            .collect();
        let merged = new_sales::store(&self.db, self.timezone, &groups).await;
        drop(groups);
        match merged {
            Ok(Some(stored)) => {
                for (job, stored) in jobs.into_iter().zip(stored) {
                    self.answer(job, Some(stored));
                }
            }
            Ok(None) if jobs.len() == 1 => reply_none(jobs),
            Err(e) if jobs.len() == 1 => {
                tracing::warn!(error = %e, "new sales not stored together; per-sale path");
                reply_none(jobs)
            }
            other => {
                if let Err(e) = other {
                    tracing::warn!(error = %e, "merged uploads not stored; each alone");
                }
                // Each upload alone, so one upload's problem stays its own.
                for job in jobs {
                    let group = [Group {
                        actor: &job.actor,
                        sales: &job.sales,
                        duplicates: &job.duplicates,
                    }];
                    let alone = match new_sales::store(&self.db, self.timezone, &group).await {
                        Ok(stored) => stored.and_then(|mut s| s.pop()),
                        Err(e) => {
                            tracing::warn!(error = %e, "new sales not stored together; per-sale path");
                            None
                        }
                    };
                    self.answer(job, alone);
                }
            }
        }
    }

    /// Publishes the committed sales' events here, not in the request: a
    /// caller that went away (its sales are stored all the same, and a
    /// retry finds them as duplicates) must not lose them.
    fn answer(&self, job: Job, stored: Option<Vec<new_sales::Stored>>) {
        let results = stored.map(|list| {
            list.into_iter()
                .map(|s| {
                    self.events.publish(s.event);
                    (s.index, s.result)
                })
                .collect()
        });
        let _ = job.reply.send(results);
    }
}

fn reply_none(jobs: Vec<Job>) {
    for job in jobs {
        let _ = job.reply.send(None);
    }
}
