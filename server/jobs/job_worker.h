#pragma once
// JobWorker: runs queued jobs of the kinds it has handlers for (server/jobs/job_queue.h for the SQL).
//
// Wake-ups: a JobListener LISTENs on atende_jobs on its own connection and thread, so an idle worker claims
// a new job within milliseconds of its COMMIT; a poll timer (default 1 s) claims anyway, so a lost
// notification (listener reconnecting, NOTIFY from a failed-over primary) delays a job by at most one poll,
// and retries whose run_at arrives are picked up. A finished job frees a slot and claims again while the
// last claim came back full.
//
// Concurrency: at most `concurrency` handlers run at once, all on the caller's (main) thread as coroutines;
// claims go through DbExecutor::run, finishing through runTenant as the job's tenant. Each claim holds a
// lease (default 60 s) that a timer renews every lease/3 while the handler runs; a worker that dies stops
// renewing and another worker reclaims the job once the lease expired. Delivery is therefore at least once:
// handlers must be idempotent (the outbox send job checks the message's status first).
//
// A handler returns Status: ok completes the job; an error fails it, retried with RetryPolicy's back-off
// unless isRetryable(error) says retrying cannot help or attempts are used up, then the job is dead.

#include "common/core/result.h"
#include "server/db/db_executor.h"
#include "server/jobs/job_types.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <qcoro/qcorotask.h>

#include <functional>
#include <memory>

namespace atende::server::jobs {

class JobListener;

class JobWorker : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<QCoro::Task<atende::core::Status>(Job)>;

    struct Options {
        QString workerId; // empty: "<host>:<pid>:<random>"
        // The server instance (ownership of connections): jobs of a connection another live instance owns
        // are left to that instance. Empty: only jobs of connections without a live owner.
        QString instanceId;
        int concurrency = 4;
        int leaseSeconds = 60;
        int pollIntervalMs = 1000;
        bool listen = true; // LISTEN atende_jobs (a dedicated connection); off: poll only
        // The worker id is this process's own across restarts (derived from a configured instance id): the
        // first claim first takes back the jobs a killed predecessor held, instead of waiting out their leases.
        bool releaseOwnOnStart = false;
        RetryPolicy retry;
    };

    struct Stats {
        qint64 claims = 0;  // claim round trips
        qint64 claimed = 0; // jobs claimed
        qint64 completed = 0;
        qint64 retried = 0;
        qint64 dead = 0;
        qint64 lostLeases = 0;    // finish or renew refused: another worker took the job over
        qint64 notifications = 0; // atende_jobs notifications received
    };

    JobWorker(db::DbExecutor &db, Options options, QObject *parent = nullptr);
    ~JobWorker() override;

    // Before start(). One handler per kind; the worker claims only kinds it has handlers for.
    void registerHandler(const QString &kind, Handler handler);

    // Starts listening (a listener failure is logged and the worker polls), the timers, and claims at once.
    atende::core::Status start();
    // Stops claiming and listening, then waits until the running handlers have finished and their jobs are
    // completed or failed (leases keep being renewed meanwhile). kUnavailable when timeoutMs passed first;
    // the jobs still running are then reclaimed by another worker after their lease expires.
    QCoro::Task<atende::core::Status> stop(int timeoutMs = 30000);

    QString workerId() const { return m_options.workerId; }
    int running() const { return int(m_running.size()); }
    bool isListening() const;
    Stats stats() const { return m_stats; }

public Q_SLOTS:
    // Claims now if a slot is free (also what a notification and the poll timer do).
    void wake();

Q_SIGNALS:
    // After the job's outcome is stored (ok: completed; otherwise retried or dead).
    void jobFinished(const QUuid &id, bool ok);

private:
    QCoro::Task<> claimLoop();
    QCoro::Task<> runJob(Job job);
    QCoro::Task<> renew(Job job);
    void renewAll();
    bool busy() const { return m_claiming || !m_running.isEmpty(); }

    db::DbExecutor &m_db;
    Options m_options;
    bool m_releasePending = false; // releaseOwnOnStart, until the first claim
    QHash<QString, Handler> m_handlers;
    QHash<QUuid, Job> m_running;
    std::unique_ptr<JobListener> m_listener;
    QTimer m_poll;
    QTimer m_renew;
    Stats m_stats;
    bool m_started = false;
    bool m_stopping = false;
    bool m_claiming = false;
    bool m_wakeAgain = false;  // a wake-up arrived while claiming: claim once more
    bool m_moreLikely = false; // the last claim came back full: claim again when a slot frees
};

} // namespace atende::server::jobs
