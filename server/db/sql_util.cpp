#include "server/db/sql_util.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcDb)

namespace atende::server::db {
namespace {
// Only PostgreSQL's primary message: its DETAIL line can quote row values, which must not reach logs.
QString firstLine(const QSqlError &e)
{
    return e.databaseText().section(QLatin1Char('\n'), 0, 0).left(200);
}
} // namespace

atende::core::Error toError(const QSqlError &error)
{
    const QString state = error.nativeErrorCode();
    if (state == QLatin1String("23505"))
        return atende::core::Error::make(atende::core::errc::kConflict, QStringLiteral("the object already exists"));
    if (state.startsWith(QLatin1String("08")) || error.type() == QSqlError::ConnectionError)
        return atende::core::Error::make(atende::core::errc::kUnavailable,
                                         QStringLiteral("the database is not reachable"));
    if (state == QLatin1String("40001") || state == QLatin1String("40P01"))
        return atende::core::Error::make(atende::core::errc::kUnavailable,
                                         QStringLiteral("the database is busy, try again"));
    return atende::core::Error::make(atende::core::errc::kInternal, QStringLiteral("database error %1").arg(state));
}

atende::core::Status exec(QSqlQuery &query)
{
    if (!query.exec()) {
        qCWarning(lcDb) << "query failed:" << query.lastError().nativeErrorCode() << firstLine(query.lastError());
        return toError(query.lastError());
    }
    return {};
}

atende::core::Status exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    // QPSQL runs several statements in one exec() but reports only the first result's error; later ones
    // surface through nextResult().
    bool ok = q.exec(sql);
    while (ok && q.nextResult()) {
    }
    if (ok && q.lastError().isValid())
        ok = false;
    if (!ok) {
        qCWarning(lcDb) << "statement failed:" << q.lastError().nativeErrorCode() << firstLine(q.lastError());
        return toError(q.lastError());
    }
    return {};
}

atende::core::Status enterTenant(QSqlDatabase &db, const QUuid &tenantId)
{
    if (tenantId.isNull())
        return atende::core::Error::make(atende::core::errc::kInvalidArgument, QStringLiteral("no tenant given"));
    if (atende::core::Status s = exec(db, QStringLiteral("SET LOCAL ROLE %1").arg(QLatin1String(kAppRole))); !s.ok())
        return s;
    db::Query q(db, QStringLiteral("SELECT set_config('app.tenant_id', ?, true)"));
    q.addBindValue(tenantId.toString(QUuid::WithoutBraces));
    return exec(q);
}

atende::core::Result<qint64> nextEventSeq(QSqlDatabase &db, const QUuid &tenantId)
{
    db::Query q(db, QStringLiteral("INSERT INTO event_sequences (tenant_id, last_seq) VALUES (?, 1) "
                                   "ON CONFLICT (tenant_id) DO UPDATE SET last_seq = event_sequences.last_seq + 1 "
                                   "RETURNING last_seq"));
    q.addBindValue(tenantId.toString(QUuid::WithoutBraces));
    if (atende::core::Status s = exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kInternal, QStringLiteral("no event sequence"));
    return q.value(0).toLongLong();
}

} // namespace atende::server::db
