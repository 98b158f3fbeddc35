#include "server/tenancy/audit_log.h"

#include "server/db/sql_util.h"
#include "server/security/sha256.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QSqlQuery>
#include <QVariant>

namespace atende::server::tenancy {

namespace {

// First key of pg_advisory_xact_lock(int, int) for audit chains ("audt"); the second is hashtext(tenant).
constexpr int kAuditLockClass = 0x61756474;

const QString kAtFormat = QStringLiteral("YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"");

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonValue uuidOrNull(const QUuid &id)
{
    return id.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(id.toString(QUuid::WithoutBraces));
}

QVariant bindText(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

QVariant bindJson(const std::optional<QJsonObject> &o)
{
    if (!o)
        return QVariant(QMetaType::fromType<QString>());
    return QString::fromUtf8(QJsonDocument(*o).toJson(QJsonDocument::Compact));
}

std::optional<QJsonObject> readJson(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

QUuid readUuid(const QVariant &v)
{
    return v.isNull() ? QUuid() : QUuid::fromString(v.toString());
}

QByteArray chainHash(const QByteArray &prevHash, const QByteArray &canonical)
{
    return security::sha256(prevHash + canonical);
}

} // namespace

QByteArray AuditLog::canonicalJson(const QUuid &tenantId, qint64 seq, const QUuid &id, const QString &at,
                                   const AuditEntry &entry)
{
    QJsonObject o;
    o.insert(QStringLiteral("tenantId"), uuidOrNull(tenantId));
    o.insert(QStringLiteral("seq"), QString::number(seq));
    o.insert(QStringLiteral("id"), uuidOrNull(id));
    o.insert(QStringLiteral("at"), at);
    o.insert(QStringLiteral("actorUserId"), uuidOrNull(entry.actorUserId));
    o.insert(QStringLiteral("action"), entry.action);
    o.insert(QStringLiteral("objectType"), textOrNull(entry.objectType));
    o.insert(QStringLiteral("objectId"), textOrNull(entry.objectId));
    o.insert(QStringLiteral("before"), entry.before ? QJsonValue(*entry.before) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("after"), entry.after ? QJsonValue(*entry.after) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("ip"), textOrNull(entry.ip));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

atende::core::Result<AuditRecord> AuditLog::append(QSqlDatabase &db, const QUuid &tenantId, const AuditEntry &entry)
{
    if (tenantId.isNull() || entry.action.isEmpty())
        return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                         QStringLiteral("an audit entry needs a tenant and an action"));
    const QString tenantText = tenantId.toString(QUuid::WithoutBraces);

    db::Query q(db, QStringLiteral("SELECT pg_advisory_xact_lock(%1, hashtext(?))").arg(kAuditLockClass));
    q.addBindValue(tenantText);
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();

    db::Query last(db, QStringLiteral("SELECT seq, hash FROM audit_log WHERE tenant_id = ?::uuid ORDER BY seq DESC "
                                      "LIMIT 1"));
    last.addBindValue(tenantText);
    if (atende::core::Status s = db::exec(last); !s.ok())
        return s.error();
    qint64 seq = 1;
    QByteArray prevHash;
    if (last.next()) {
        seq = last.value(0).toLongLong() + 1;
        prevHash = last.value(1).toByteArray();
    }

    AuditRecord record;
    record.tenantId = tenantId;
    record.seq = seq;
    record.id = QUuid::createUuid();
    // Millisecond precision, so the stored timestamptz reads back as exactly the string that was hashed.
    record.at = QDateTime::currentDateTimeUtc();
    const QString at = record.at.toString(Qt::ISODateWithMs);
    record.hash = chainHash(prevHash, canonicalJson(tenantId, seq, record.id, at, entry));

    db::Query insert(db, QStringLiteral("INSERT INTO audit_log (tenant_id, seq, id, at, actor_user_id, action, "
                                        "object_type, object_id, before, after, ip, prev_hash, hash) VALUES (?::uuid, "
                                        "?, ?::uuid, ?::timestamptz, ?::uuid, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)"));
    insert.addBindValue(tenantText);
    insert.addBindValue(seq);
    insert.addBindValue(record.id.toString(QUuid::WithoutBraces));
    insert.addBindValue(at);
    insert.addBindValue(entry.actorUserId.isNull() ? QVariant(QMetaType::fromType<QString>())
                                                   : QVariant(entry.actorUserId.toString(QUuid::WithoutBraces)));
    insert.addBindValue(entry.action);
    insert.addBindValue(bindText(entry.objectType));
    insert.addBindValue(bindText(entry.objectId));
    insert.addBindValue(bindJson(entry.before));
    insert.addBindValue(bindJson(entry.after));
    insert.addBindValue(bindText(entry.ip));
    insert.addBindValue(prevHash.isNull() ? QByteArray("") : prevHash);
    insert.addBindValue(record.hash);
    if (atende::core::Status s = db::exec(insert); !s.ok())
        return s.error();
    return record;
}

atende::core::Result<AuditVerification> AuditLog::verify(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT tenant_id, seq, id, to_char(at AT TIME ZONE 'UTC', '%1'), actor_user_id, action, "
                             "object_type, object_id, before::text, after::text, ip, prev_hash, hash "
                             "FROM audit_log ORDER BY tenant_id, seq")
                  .arg(kAtFormat));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();

    AuditVerification result;
    QUuid tenant;
    qint64 expectedSeq = 0;
    QByteArray prevHash;
    auto broken = [&result](const QUuid &t, qint64 seq, QString reason) {
        result.intact = false;
        result.brokenTenant = t;
        result.brokenSeq = seq;
        result.reason = std::move(reason);
        return result;
    };
    while (q.next()) {
        const QUuid rowTenant = readUuid(q.value(0));
        const qint64 seq = q.value(1).toLongLong();
        if (rowTenant != tenant) {
            tenant = rowTenant;
            expectedSeq = 1;
            prevHash.clear();
            ++result.tenants;
        }
        if (seq != expectedSeq)
            return broken(tenant, expectedSeq, QStringLiteral("row %1 is missing").arg(expectedSeq));
        AuditEntry e;
        e.actorUserId = readUuid(q.value(4));
        e.action = q.value(5).toString();
        e.objectType = q.value(6).toString();
        e.objectId = q.value(7).toString();
        e.before = readJson(q.value(8));
        e.after = readJson(q.value(9));
        e.ip = q.value(10).toString();
        const QByteArray storedPrev = q.value(11).toByteArray();
        const QByteArray storedHash = q.value(12).toByteArray();
        if (storedPrev != prevHash)
            return broken(tenant, seq, QStringLiteral("prev_hash does not match the previous row"));
        const QByteArray expected =
            chainHash(prevHash, canonicalJson(tenant, seq, readUuid(q.value(2)), q.value(3).toString(), e));
        if (expected != storedHash)
            return broken(tenant, seq, QStringLiteral("hash does not match the row's contents"));
        prevHash = storedHash;
        ++expectedSeq;
        ++result.rows;
    }
    return result;
}

} // namespace atende::server::tenancy
