#include "server/events/event_log.h"

#include "server/db/sql_util.h"

#include <QSqlQuery>
#include <QVariant>

#include <limits>

namespace atende::server::events {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

QString text(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QVariant nullableUuid(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text(id));
}

QUuid readUuid(const QVariant &v)
{
    return v.isNull() ? QUuid() : QUuid::fromString(v.toString());
}

// Reads rows of SELECT seq, permission, sector_id, user_id, assignee_id, payload.
Result<QList<api::LoggedEvent>> readRows(QSqlQuery &q, const QUuid &tenantId)
{
    QList<api::LoggedEvent> out;
    while (q.next()) {
        api::LoggedEvent e;
        const QByteArray payload = q.value(5).toByteArray();
        if (!e.event.ParseFromArray(payload.constData(), int(payload.size())))
            return Error::make(atende::core::errc::kInternal, QStringLiteral("unreadable event in the log"));
        e.event.set_seq(quint64(q.value(0).toLongLong()));
        e.audience.tenantId = tenantId;
        e.audience.permission = q.value(1).toString();
        e.audience.sectorId = readUuid(q.value(2));
        e.audience.userId = readUuid(q.value(3));
        e.audience.assigneeId = readUuid(q.value(4));
        out.append(std::move(e));
    }
    return out;
}

} // namespace

Status EventLog::append(QSqlDatabase &db, const api::Audience &audience, const atende::api::v1::Event &event)
{
    if (audience.tenantId.isNull() || event.seq() == 0)
        return Error::make(atende::core::errc::kInternal, QStringLiteral("a logged event needs a tenant and a seq"));
    const std::string bytes = event.SerializeAsString();
    db::Query q(db,
                QStringLiteral("INSERT INTO event_log (tenant_id, seq, permission, sector_id, user_id, assignee_id, "
                               "payload) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(text(audience.tenantId));
    q.addBindValue(qint64(event.seq()));
    q.addBindValue(audience.permission.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                 : QVariant(audience.permission));
    q.addBindValue(nullableUuid(audience.sectorId));
    q.addBindValue(nullableUuid(audience.userId));
    q.addBindValue(nullableUuid(audience.assigneeId));
    q.addBindValue(QByteArray(bytes.data(), qsizetype(bytes.size())));
    if (Status s = db::exec(q); !s.ok())
        return s;
    // Sent by PostgreSQL at COMMIT only, so other instances never fetch an event that is not there.
    db::Query n(db, QStringLiteral("SELECT pg_notify(?, ?)"));
    n.addBindValue(QString::fromLatin1(kEventsChannel));
    n.addBindValue(text(audience.tenantId) + QLatin1Char(':') + QString::number(event.seq()));
    return db::exec(n);
}

Result<QList<api::LoggedEvent>> EventLog::range(QSqlDatabase &db, const QUuid &tenantId, quint64 afterSeq,
                                                quint64 upToSeq, int limit)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT seq, permission, sector_id, user_id, assignee_id, payload FROM event_log "
                             "WHERE tenant_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?"));
    q.addBindValue(text(tenantId));
    q.addBindValue(qint64(afterSeq));
    q.addBindValue(qint64(qMin<quint64>(upToSeq, quint64(std::numeric_limits<qint64>::max()))));
    q.addBindValue(limit);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return readRows(q, tenantId);
}

Result<api::BacklogPage> EventLog::page(QSqlDatabase &db, const QUuid &tenantId, quint64 afterSeq, int limit)
{
    api::BacklogPage page;
    {
        db::Query h(db, QStringLiteral("SELECT coalesce(max(last_seq), 0) FROM event_sequences WHERE tenant_id = ?"));
        h.addBindValue(text(tenantId));
        if (Status s = db::exec(h); !s.ok())
            return s.error();
        page.headSeq = h.next() ? quint64(h.value(0).toLongLong()) : 0;
    }
    page.scannedTo = afterSeq;
    if (afterSeq > page.headSeq) {
        page.gap = true; // a seq this tenant never had (another database, a restored backup)
        return page;
    }
    if (afterSeq == page.headSeq)
        return page;
    Result<QList<api::LoggedEvent>> rows = range(db, tenantId, afterSeq, page.headSeq, limit + 1);
    if (!rows.ok())
        return rows.error();
    // The log keeps a contiguous suffix of the sequence, so the next event must be afterSeq + 1.
    if (rows->isEmpty() || rows->first().event.seq() != afterSeq + 1) {
        page.gap = true;
        return page;
    }
    page.more = rows->size() > limit;
    page.events = std::move(rows).value();
    if (page.more)
        page.events.removeLast();
    page.scannedTo = page.events.last().event.seq();
    return page;
}

Result<qint64> EventLog::prune(QSqlDatabase &db, const QDateTime &before)
{
    db::Query q(db, QStringLiteral("SELECT event_log_prune(?::timestamptz)"));
    q.addBindValue(before.toUTC().toString(Qt::ISODateWithMs));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("event_log_prune returned nothing"));
    return q.value(0).toLongLong();
}

Result<QList<EventLog::TenantRange>> EventLog::tenantsSince(QSqlDatabase &db, const QDateTime &since)
{
    db::Query q(db,
                QStringLiteral("SELECT tenant_id, first_seq, last_seq FROM event_log_tenants_since(?::timestamptz)"));
    q.addBindValue(since.toUTC().toString(Qt::ISODateWithMs));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<TenantRange> out;
    while (q.next())
        out.append({QUuid::fromString(q.value(0).toString()), quint64(q.value(1).toLongLong()),
                    quint64(q.value(2).toLongLong())});
    return out;
}

} // namespace atende::server::events
