#pragma once
// JobService: the job queue for coroutines on the main thread, over a DbExecutor: enqueue a job on its own
// (when no other row has to commit with it; otherwise call JobQueue::enqueue inside your own runTenant), and
// the dead-letter operations the admin pane needs (list, retry), each bound to the caller's tenant so RLS
// applies. The API layer maps them to operations guarded by the jobs.manage permission.

#include "common/core/result.h"
#include "server/db/db_executor.h"
#include "server/jobs/job_types.h"

#include <QList>
#include <QObject>

#include <qcoro/qcorotask.h>

namespace atende::server::jobs {

class JobService : public QObject {
    Q_OBJECT
public:
    explicit JobService(db::DbExecutor &db, QObject *parent = nullptr);

    QCoro::Task<atende::core::Result<QUuid>> enqueue(QUuid tenantId, QString kind, QJsonObject payload,
                                                     EnqueueOptions options = {});
    // Most recently failed first; limit 1..1000.
    QCoro::Task<atende::core::Result<QList<DeadJob>>> listDead(QUuid tenantId, int limit = 100);
    // kNotFound when the tenant has no dead job with this id.
    QCoro::Task<atende::core::Status> retryDead(QUuid tenantId, QUuid id);

private:
    db::DbExecutor &m_db;
};

} // namespace atende::server::jobs
