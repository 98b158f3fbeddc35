#include "server/jobs/job_queue.h"

#include "server/db/sql_util.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace atende::server::jobs {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

constexpr int kMaxErrorLength = 2000;

QString text(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject object(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

// A PostgreSQL array literal {"a","b"}: every element quoted, " and \ escaped.
QString textArray(const QStringList &items)
{
    QStringList quoted;
    for (const QString &item : items) {
        QString e = item;
        e.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        quoted << QLatin1Char('"') + e + QLatin1Char('"');
    }
    return QLatin1Char('{') + quoted.join(QLatin1Char(',')) + QLatin1Char('}');
}

Error lostClaim()
{
    return Error::make(errc::kConflict, QStringLiteral("the job's lease expired and it was claimed again"));
}

// Binds the claim token (tenant, id, locked_by, attempts) for "... WHERE tenant_id = ?::uuid AND id = ?::uuid
// AND state = 'running' AND locked_by = ? AND attempts = ?".
void bindClaim(QSqlQuery &q, const Job &job)
{
    q.addBindValue(text(job.tenantId));
    q.addBindValue(text(job.id));
    q.addBindValue(job.workerId);
    q.addBindValue(job.attempts);
}

constexpr QLatin1String kClaimMatch("WHERE tenant_id = ?::uuid AND id = ?::uuid AND state = 'running' "
                                    "AND locked_by = ? AND attempts = ?");

} // namespace

Result<QUuid> JobQueue::enqueue(QSqlDatabase &db, const QUuid &tenantId, const QString &kind,
                                const QJsonObject &payload, const EnqueueOptions &options)
{
    if (kind.isEmpty() || kind.size() > 100)
        return Error::make(errc::kInvalidArgument, QStringLiteral("a job kind has 1 to 100 characters"));
    if (options.maxAttempts < 1 || options.maxAttempts > 1000)
        return Error::make(errc::kInvalidArgument, QStringLiteral("max attempts must be 1 to 1000"));
    db::Query q(db, QStringLiteral("INSERT INTO jobs (tenant_id, kind, payload, run_at, max_attempts, idempotency_key) "
                                   "VALUES (?::uuid, ?, ?::jsonb, coalesce(?::timestamptz, now()), ?, ?) "
                                   "ON CONFLICT (tenant_id, kind, idempotency_key) WHERE idempotency_key IS NOT NULL "
                                   "DO NOTHING RETURNING id"));
    q.addBindValue(text(tenantId));
    q.addBindValue(kind);
    q.addBindValue(json(payload));
    q.addBindValue(options.runAt ? QVariant(options.runAt->toUTC().toString(Qt::ISODateWithMs)) : nullText());
    q.addBindValue(options.maxAttempts);
    q.addBindValue(options.idempotencyKey.isEmpty() ? nullText() : QVariant(options.idempotencyKey));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (q.next())
        return QUuid(q.value(0).toString());
    // The key was taken: ON CONFLICT waited for the other insert to commit, so this statement sees it.
    db::Query existing(
        db, QStringLiteral("SELECT id FROM jobs WHERE tenant_id = ?::uuid AND kind = ? AND idempotency_key = ?"));
    existing.addBindValue(text(tenantId));
    existing.addBindValue(kind);
    existing.addBindValue(options.idempotencyKey);
    if (Status s = db::exec(existing); !s.ok())
        return s.error();
    if (!existing.next())
        return Error::make(errc::kInternal, QStringLiteral("idempotent job vanished"));
    return QUuid(existing.value(0).toString());
}

Result<int> JobQueue::releaseWorker(QSqlDatabase &db, const QString &workerId)
{
    if (workerId.isEmpty())
        return Error::make(errc::kInvalidArgument, QStringLiteral("bad worker id"));
    return db::transaction(db, [&]() -> Result<int> {
        if (Status s = db::exec(db, QStringLiteral("SET LOCAL ROLE %1").arg(QLatin1String(db::kAppRole))); !s.ok())
            return s.error();
        db::Query q(db, QStringLiteral("SELECT jobs_release_worker(?)"));
        q.addBindValue(workerId);
        if (Status s = db::exec(q); !s.ok())
            return s.error();
        return q.next() ? q.value(0).toInt() : 0;
    });
}

Result<QList<Job>> JobQueue::claim(QSqlDatabase &db, const QString &workerId, const QStringList &kinds, int limit,
                                   int leaseSeconds, const QString &instanceId)
{
    if (workerId.isEmpty() || limit < 1 || leaseSeconds < 1)
        return Error::make(errc::kInvalidArgument, QStringLiteral("bad claim arguments"));
    return db::transaction(db, [&]() -> Result<QList<Job>> {
        if (Status s = db::exec(db, QStringLiteral("SET LOCAL ROLE %1").arg(QLatin1String(db::kAppRole))); !s.ok())
            return s.error();
        db::Query q(db, QStringLiteral("SELECT tenant_id::text, id::text, kind, payload::text, attempts, max_attempts, "
                                       "locked_until FROM jobs_claim(?, ?::text[], ?, ?, ?)"));
        q.addBindValue(workerId);
        q.addBindValue(kinds.isEmpty() ? nullText() : QVariant(textArray(kinds)));
        q.addBindValue(limit);
        q.addBindValue(leaseSeconds);
        q.addBindValue(instanceId.isEmpty() ? nullText() : QVariant(instanceId));
        if (Status s = db::exec(q); !s.ok())
            return s.error();
        QList<Job> jobs;
        while (q.next()) {
            Job j;
            j.tenantId = QUuid(q.value(0).toString());
            j.id = QUuid(q.value(1).toString());
            j.kind = q.value(2).toString();
            j.payload = object(q.value(3));
            j.attempts = q.value(4).toInt();
            j.maxAttempts = q.value(5).toInt();
            j.workerId = workerId;
            j.lockedUntil = q.value(6).toDateTime();
            jobs.append(j);
        }
        return jobs;
    });
}

Status JobQueue::complete(QSqlDatabase &db, const Job &job)
{
    db::Query q(db, QStringLiteral("UPDATE jobs SET state = 'done', locked_by = NULL, locked_until = NULL, "
                                   "finished_at = now(), updated_at = now() ") +
                        kClaimMatch);
    bindClaim(q, job);
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (q.numRowsAffected() != 1)
        return lostClaim();
    return {};
}

Result<FailOutcome> JobQueue::fail(QSqlDatabase &db, const Job &job, const QString &error, bool retryable,
                                   std::chrono::milliseconds retryDelay)
{
    const bool dead = !retryable || job.attempts >= job.maxAttempts;
    QSqlQuery q(db);
    if (dead) {
        q.prepare(QStringLiteral("UPDATE jobs SET state = 'dead', last_error = ?, locked_by = NULL, "
                                 "locked_until = NULL, finished_at = now(), updated_at = now() ") +
                  kClaimMatch + QLatin1String(" RETURNING run_at"));
    } else {
        q.prepare(QStringLiteral("UPDATE jobs SET state = 'queued', last_error = ?, locked_by = NULL, "
                                 "locked_until = NULL, run_at = now() + make_interval(secs => ?), "
                                 "updated_at = now() ") +
                  kClaimMatch + QLatin1String(" RETURNING run_at"));
    }
    q.addBindValue(error.left(kMaxErrorLength));
    if (!dead)
        q.addBindValue(double(retryDelay.count()) / 1000.0);
    bindClaim(q, job);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return lostClaim();
    return FailOutcome{dead, dead ? QDateTime() : q.value(0).toDateTime()};
}

Result<QDateTime> JobQueue::renew(QSqlDatabase &db, const Job &job, int leaseSeconds)
{
    db::Query q(db,
                QStringLiteral("UPDATE jobs SET locked_until = now() + make_interval(secs => ?), updated_at = now() ") +
                    kClaimMatch + QLatin1String(" RETURNING locked_until"));
    q.addBindValue(leaseSeconds);
    bindClaim(q, job);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return lostClaim();
    return q.value(0).toDateTime();
}

Result<QList<DeadJob>> JobQueue::listDead(QSqlDatabase &db, const QUuid &tenantId, int limit)
{
    db::Query q(db, QStringLiteral("SELECT id::text, kind, payload::text, attempts, max_attempts, last_error, "
                                   "idempotency_key, created_at, finished_at FROM jobs "
                                   "WHERE tenant_id = ?::uuid AND state = 'dead' "
                                   "ORDER BY finished_at DESC, id LIMIT ?"));
    q.addBindValue(text(tenantId));
    q.addBindValue(qBound(1, limit, 1000));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<DeadJob> out;
    while (q.next()) {
        DeadJob d;
        d.id = QUuid(q.value(0).toString());
        d.kind = q.value(1).toString();
        d.payload = object(q.value(2));
        d.attempts = q.value(3).toInt();
        d.maxAttempts = q.value(4).toInt();
        d.lastError = q.value(5).toString();
        d.idempotencyKey = q.value(6).toString();
        d.createdAt = q.value(7).toDateTime();
        d.finishedAt = q.value(8).toDateTime();
        out.append(d);
    }
    return out;
}

Status JobQueue::retryDead(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id)
{
    db::Query q(db,
                QStringLiteral("UPDATE jobs SET state = 'queued', attempts = 0, run_at = now(), finished_at = NULL, "
                               "updated_at = now() WHERE tenant_id = ?::uuid AND id = ?::uuid AND state = 'dead'"));
    q.addBindValue(text(tenantId));
    q.addBindValue(text(id));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (q.numRowsAffected() != 1)
        return Error::make(errc::kNotFound, QStringLiteral("no such dead job"));
    return {};
}

} // namespace atende::server::jobs
