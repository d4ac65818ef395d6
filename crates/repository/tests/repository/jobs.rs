//! The job queue: claiming in order and once, leases that lapse, back-off and death, retry,
//! the recurring-job guard, and what housekeeping may remove.

use chrono::Duration;
use fixdesk_domain::{JobKind, JobState};
use fixdesk_repository::jobs;

use crate::{at, db};

const LEASE: i64 = 60;

#[tokio::test]
async fn jobs_are_claimed_oldest_first_and_only_once_they_are_due() {
    let db = db().await;
    let now = at("2026-12-01 09:00:00");
    let first = jobs::enqueue(&db, JobKind::SlaSweep, "{}".into(), None, now)
        .await
        .unwrap();
    let later = jobs::enqueue(
        &db,
        JobKind::MailSweep,
        "{}".into(),
        None,
        now + Duration::minutes(5),
    )
    .await
    .unwrap();
    let lease = Duration::seconds(LEASE);
    let got = jobs::claim(&db, "w1", now, lease).await.unwrap().unwrap();
    assert_eq!(got.id, first.id);
    assert_eq!((got.state, got.attempts), (JobState::Running, 1));
    assert!(
        jobs::claim(&db, "w2", now, lease).await.unwrap().is_none(),
        "the other is not due yet"
    );
    assert!(
        jobs::complete(&db, first.id, "w1", "{}".into(), now)
            .await
            .unwrap()
    );
    let got = jobs::claim(&db, "w2", now + Duration::minutes(5), lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.id, later.id);
}

#[tokio::test]
async fn a_lapsed_lease_gives_the_job_to_another_worker_and_the_first_cannot_finish_it() {
    let db = db().await;
    let now = at("2026-12-01 09:00:00");
    jobs::enqueue(&db, JobKind::Backup, "{}".into(), None, now)
        .await
        .unwrap();
    let lease = Duration::seconds(LEASE);
    let job = jobs::claim(&db, "w1", now, lease).await.unwrap().unwrap();
    assert!(
        jobs::held(&db, job.id, now + Duration::seconds(30))
            .await
            .unwrap()
    );
    assert!(
        jobs::heartbeat(&db, job.id, "w1", 50, now + Duration::seconds(30), lease)
            .await
            .unwrap()
    );
    let later = now + Duration::seconds(30 + LEASE + 1);
    assert!(!jobs::held(&db, job.id, later).await.unwrap());
    let again = jobs::claim(&db, "w2", later, lease).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (job.id, 2));
    assert!(
        !jobs::heartbeat(&db, job.id, "w1", 60, later, lease)
            .await
            .unwrap(),
        "no longer w1's"
    );
    assert!(
        !jobs::complete(&db, job.id, "w1", "{}".into(), later)
            .await
            .unwrap()
    );
    assert!(
        jobs::complete(&db, job.id, "w2", "{\"ok\":1}".into(), later)
            .await
            .unwrap()
    );
    let done = jobs::find(&db, job.id).await.unwrap().unwrap();
    assert_eq!(done.state, JobState::Done);
    assert_eq!(done.result.as_deref(), Some("{\"ok\":1}"));
}

#[tokio::test]
async fn a_failing_job_backs_off_then_dies_and_a_retry_revives_it() {
    let db = db().await;
    let mut now = at("2026-12-01 09:00:00");
    let job = jobs::enqueue(&db, JobKind::MailSend, "{}".into(), None, now)
        .await
        .unwrap();
    let lease = Duration::seconds(LEASE);
    for attempt in 1..=job.max_attempts {
        let claimed = jobs::claim(&db, "w", now, lease)
            .await
            .unwrap()
            .expect("due again");
        assert_eq!(claimed.attempts, attempt);
        jobs::fail(&db, &claimed, "w", "SMTP: 451", now)
            .await
            .unwrap();
        let after = jobs::find(&db, job.id).await.unwrap().unwrap();
        if attempt < job.max_attempts {
            assert_eq!(after.state, JobState::Queued);
            assert!(after.run_after > now, "backed off");
            assert!(jobs::claim(&db, "w", now, lease).await.unwrap().is_none());
            now = after.run_after;
        } else {
            assert_eq!(after.state, JobState::Dead);
            assert_eq!(after.last_error.as_deref(), Some("SMTP: 451"));
        }
    }
    assert!(jobs::retry(&db, job.id, now).await.unwrap());
    assert!(
        !jobs::retry(&db, job.id, now).await.unwrap(),
        "only a dead job is retried"
    );
    let revived = jobs::claim(&db, "w", now, lease).await.unwrap().unwrap();
    assert_eq!(revived.attempts, 1);
}

#[tokio::test]
async fn a_recurring_job_is_seen_while_queued_or_running_not_once_done() {
    let db = db().await;
    let now = at("2026-12-01 09:00:00");
    let waiting = [JobState::Queued, JobState::Running];
    assert!(
        !jobs::any_in(&db, JobKind::SlaSweep, &waiting)
            .await
            .unwrap()
    );
    let job = jobs::enqueue(&db, JobKind::SlaSweep, "{}".into(), None, now)
        .await
        .unwrap();
    assert!(
        jobs::any_in(&db, JobKind::SlaSweep, &waiting)
            .await
            .unwrap()
    );
    assert!(
        !jobs::any_in(&db, JobKind::MailSweep, &waiting)
            .await
            .unwrap(),
        "per kind"
    );
    jobs::claim(&db, "w", now, Duration::seconds(LEASE))
        .await
        .unwrap();
    assert!(
        jobs::any_in(&db, JobKind::SlaSweep, &waiting)
            .await
            .unwrap()
    );
    jobs::complete(&db, job.id, "w", "{}".into(), now)
        .await
        .unwrap();
    assert!(
        !jobs::any_in(&db, JobKind::SlaSweep, &waiting)
            .await
            .unwrap()
    );
    assert_eq!(jobs::queued(&db).await.unwrap(), 0);
}

#[tokio::test]
async fn housekeeping_sees_only_jobs_finished_before_the_kept_days() {
    let db = db().await;
    let lease = Duration::seconds(LEASE);
    let old = at("2026-11-01 09:00:00");
    let recent = at("2026-12-01 09:00:00");
    for when in [old, recent] {
        let job = jobs::enqueue(&db, JobKind::StatsRebuild, "{}".into(), None, when)
            .await
            .unwrap();
        jobs::claim(&db, "w", when, lease).await.unwrap();
        jobs::complete(&db, job.id, "w", "{}".into(), when)
            .await
            .unwrap();
    }
    let dead = jobs::enqueue(&db, JobKind::MailSend, "{}".into(), None, old)
        .await
        .unwrap();
    let before = at("2026-11-20 00:00:00");
    let finished = jobs::done_before(&db, before, 100).await.unwrap();
    assert_eq!(
        finished.len(),
        1,
        "the old done one; queued and recent ones stay"
    );
    assert_ne!(finished[0].id, dead.id);
    assert_eq!(
        jobs::remove_done(&db, &[finished[0].id, dead.id])
            .await
            .unwrap(),
        1,
        "only done jobs are removed"
    );
}
