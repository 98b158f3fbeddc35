#include "server/jobs/job_service.h"

#include "server/db/finished.h"
#include "server/jobs/job_queue.h"

#include <QPointer>

namespace atende::server::jobs {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

Error shuttingDown()
{
    return Error::make(atende::core::errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

} // namespace

JobService::JobService(db::DbExecutor &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
{}

QCoro::Task<Result<QUuid>> JobService::enqueue(QUuid tenantId, QString kind, QJsonObject payload,
                                               EnqueueOptions options)
{
    QPointer<JobService> self(this);
    QFuture<Result<QUuid>> f = m_db.runTenant(tenantId, [tenantId, kind, payload, options](QSqlDatabase &db) {
        return JobQueue::enqueue(db, tenantId, kind, payload, options);
    });
    co_await db::Finished(f);
    if (!self)
        co_return shuttingDown();
    Result<QUuid> r = f.result();
    co_return r;
}

QCoro::Task<Result<QList<DeadJob>>> JobService::listDead(QUuid tenantId, int limit)
{
    QPointer<JobService> self(this);
    QFuture<Result<QList<DeadJob>>> f = m_db.runTenant(
        tenantId, [tenantId, limit](QSqlDatabase &db) { return JobQueue::listDead(db, tenantId, limit); });
    co_await db::Finished(f);
    if (!self)
        co_return shuttingDown();
    Result<QList<DeadJob>> r = f.result();
    co_return r;
}

QCoro::Task<Status> JobService::retryDead(QUuid tenantId, QUuid id)
{
    QPointer<JobService> self(this);
    QFuture<Status> f =
        m_db.runTenant(tenantId, [tenantId, id](QSqlDatabase &db) { return JobQueue::retryDead(db, tenantId, id); });
    co_await db::Finished(f);
    if (!self)
        co_return shuttingDown();
    Status s = f.result();
    co_return s;
}

} // namespace atende::server::jobs
