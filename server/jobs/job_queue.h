#pragma once
// JobQueue: the PostgreSQL job queue's SQL (migration 0007_jobs.sql), as plain synchronous functions taking
// the QSqlDatabase of a DbExecutor call (STYLE.md: repositories are synchronous, the executor runs them).
//
// Who runs what, and why:
//  * enqueue() runs INSIDE the caller's tenant transaction (DbExecutor::runTenant / tenantTransaction), so a
//    job commits or rolls back together with the row that caused it (the outbound message and its send job
//    are one transaction; ARCHITECTURE.md, outbound flow). The insert trigger NOTIFYs atende_jobs at COMMIT.
//  * claim() is the only cross-tenant step: a worker serves every tenant. It runs on a plain connection
//    (DbExecutor::run), drops to atende_app with SET LOCAL ROLE and calls the SECURITY DEFINER function
//    jobs_claim(), which locks due rows with FOR UPDATE SKIP LOCKED and returns only those. atende_app itself
//    still cannot read another tenant's jobs.
//  * complete(), fail(), renew(), listDead() and retryDead() run as the job's tenant (tenantTransaction):
//    a claimed job carries its tenant_id, so nothing after the claim needs platform privilege, and RLS keeps
//    binding. This keeps the definer surface to one function. They match the claim token (locked_by +
//    attempts), so a worker whose lease expired and was taken over cannot finish someone else's claim: it
//    gets kConflict and the new owner's result wins (delivery is at least once; handlers must be idempotent).

#include "common/core/result.h"
#include "server/jobs/job_types.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

#include <chrono>

namespace atende::server::jobs {

struct FailOutcome {
    bool dead = false;   // true: state 'dead'; false: queued again
    QDateTime nextRunAt; // when queued again
};

class JobQueue {
public:
    // Inside tenantTransaction(db, tenantId). Returns the job id; with options.idempotencyKey set and a job of
    // the same (tenant, kind, key) already present (in any state), returns that job's id and inserts nothing.
    static atende::core::Result<QUuid> enqueue(QSqlDatabase &db, const QUuid &tenantId, const QString &kind,
                                               const QJsonObject &payload, const EnqueueOptions &options = {});

    // On a plain connection (DbExecutor::run), not in a transaction. Claims up to `limit` due jobs of `kinds`
    // (empty = every kind) across all tenants for `workerId`, with a lease of leaseSeconds. Also reclaims
    // running jobs whose lease expired. A job of a connection with a live owner (migration 0017) is only
    // claimed when `instanceId` is that owner.
    // Expires the leases of the jobs `workerId` holds (a restarted process taking its jobs back at once; see
    // migration 0019). Returns how many.
    static atende::core::Result<int> releaseWorker(QSqlDatabase &db, const QString &workerId);
    static atende::core::Result<QList<Job>> claim(QSqlDatabase &db, const QString &workerId, const QStringList &kinds,
                                                  int limit, int leaseSeconds, const QString &instanceId = {});

    // The rest: inside tenantTransaction(db, job.tenantId) / tenantTransaction(db, tenantId).
    static atende::core::Status complete(QSqlDatabase &db, const Job &job);
    // retryable and attempts left: queued again at now + retryDelay; otherwise dead. error is stored (cut to
    // 2,000 characters) for the admin pane; it must not contain message bodies or secrets.
    static atende::core::Result<FailOutcome> fail(QSqlDatabase &db, const Job &job, const QString &error,
                                                  bool retryable, std::chrono::milliseconds retryDelay);
    // Pushes the lease to now + leaseSeconds; returns the new locked_until.
    static atende::core::Result<QDateTime> renew(QSqlDatabase &db, const Job &job, int leaseSeconds);

    // Dead jobs of the bound tenant, most recently failed first.
    static atende::core::Result<QList<DeadJob>> listDead(QSqlDatabase &db, const QUuid &tenantId, int limit);
    // A dead job back to queued, due now, attempts reset to 0. kNotFound when there is no such dead job.
    static atende::core::Status retryDead(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id);
};

} // namespace atende::server::jobs
