#include "server/jobs/job_operations.h"

#include "server/api/permissions.h"
#include "server/jobs/job_service.h"

#include "atende/api/v1/jobs.pb.h"

#include <QPointer>

namespace atende::server::jobs {

namespace v1 = atende::api::v1;

namespace {

using atende::core::Error;
using atende::core::Result;
namespace errc = atende::core::errc;

Error gone()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

std::string rfc3339(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

} // namespace

void addJobOperations(api::OperationTable &table, JobService &service)
{
    const QPointer<JobService> svc(&service);
    const QString perm = QLatin1String(api::perm::kJobsManage);

    table.add(api::makeOperation<v1::ListDeadJobsRequest, v1::ListDeadJobsResponse>(
        QStringLiteral("jobs.list_dead"), "GET", QStringLiteral("/api/v1/jobs/dead"), perm,
        QStringLiteral("Jobs that gave up (e.g. messages that could not be sent), most recent first."),
        [svc](api::CallContext ctx, v1::ListDeadJobsRequest req) -> QCoro::Task<Result<v1::ListDeadJobsResponse>> {
            if (!svc)
                co_return gone();
            const int limit = req.limit() == 0 ? 100 : req.limit();
            if (limit < 1 || limit > 1000)
                co_return Error::make(errc::kInvalidArgument, QStringLiteral("limit must be 1..1000"),
                                      QJsonObject{{QStringLiteral("field"), QStringLiteral("limit")},
                                                  {QStringLiteral("reason"), QStringLiteral("out_of_range")}});
            const QUuid tenantId = QUuid::fromString(ctx.tenantId);
            auto task = svc->listDead(tenantId, limit);
            Result<QList<DeadJob>> r = co_await task;
            if (!r.ok())
                co_return r.error();
            v1::ListDeadJobsResponse out;
            for (const DeadJob &j : r.value()) {
                v1::DeadJob *p = out.add_jobs();
                p->set_id(j.id.toString(QUuid::WithoutBraces).toStdString());
                p->set_kind(j.kind.toStdString());
                p->set_attempts(j.attempts);
                p->set_max_attempts(j.maxAttempts);
                p->set_last_error(j.lastError.toStdString());
                p->set_created_at(rfc3339(j.createdAt));
                p->set_finished_at(rfc3339(j.finishedAt));
            }
            co_return out;
        }));

    table.add(api::makeOperation<v1::RetryDeadJobRequest, v1::RetryDeadJobResponse>(
        QStringLiteral("jobs.retry_dead"), "POST", QStringLiteral("/api/v1/jobs/dead/{id}/retry"), perm,
        QStringLiteral("Queues a dead job again with its attempts reset."),
        [svc](api::CallContext ctx, v1::RetryDeadJobRequest req) -> QCoro::Task<Result<v1::RetryDeadJobResponse>> {
            if (!svc)
                co_return gone();
            const QUuid id = QUuid::fromString(QString::fromStdString(req.id()));
            if (id.isNull())
                co_return Error::make(errc::kNotFound, QStringLiteral("no such dead job"));
            const QUuid tenantId = QUuid::fromString(ctx.tenantId);
            auto task = svc->retryDead(tenantId, id);
            atende::core::Status st = co_await task;
            if (!st.ok())
                co_return st.error();
            const v1::RetryDeadJobResponse done;
            co_return done;
        }));
}

} // namespace atende::server::jobs
