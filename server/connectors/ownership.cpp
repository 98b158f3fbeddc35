#include "server/connectors/ownership.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"

#include <QSqlQuery>

namespace atende::server::connectors {

namespace sql = atende::server::accounts::sql;
using atende::core::Result;
using atende::core::Status;

namespace {

Status asApp(QSqlDatabase &db)
{
    return db::exec(db, QStringLiteral("SET LOCAL ROLE %1").arg(QLatin1String(db::kAppRole)));
}

Result<bool> boolQuery(QSqlDatabase &db, const QString &text, qint64 key)
{
    db::Query q(db, text);
    q.addBindValue(key);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.next() && q.value(0).toBool();
}

} // namespace

Result<QList<OwnedKey>> Ownership::claimable(QSqlDatabase &db, const QString &instanceId, int limit)
{
    return db::transaction(db, [&]() -> Result<QList<OwnedKey>> {
        if (Status s = asApp(db); !s.ok())
            return s.error();
        db::Query q(
            db, QStringLiteral("SELECT tenant_id::text, connection_id::text, lock_key FROM whatsapp_claimable(?, ?)"));
        q.addBindValue(instanceId);
        q.addBindValue(limit);
        if (Status s = db::exec(q); !s.ok())
            return s.error();
        QList<OwnedKey> out;
        while (q.next())
            out.append(OwnedKey{QUuid::fromString(q.value(0).toString()), QUuid::fromString(q.value(1).toString()),
                                q.value(2).toLongLong()});
        return out;
    });
}

Result<bool> Ownership::claim(QSqlDatabase &db, const OwnedKey &key, const QString &instanceId, int leaseSeconds)
{
    // The lock first: while a live owner holds it nobody else gets past this line, whatever the lease says.
    Result<bool> locked = boolQuery(db, QStringLiteral("SELECT pg_try_advisory_lock(?::bigint)"), key.lockKey);
    if (!locked.ok() || !locked.value())
        return locked;
    Result<bool> leased = db::transaction(db, [&]() -> Result<bool> {
        if (Status s = asApp(db); !s.ok())
            return s.error();
        db::Query q(db, QStringLiteral("SELECT whatsapp_claim(?::uuid, ?::uuid, ?, ?)"));
        q.addBindValue(sql::text(key.tenantId));
        q.addBindValue(sql::text(key.connectionId));
        q.addBindValue(instanceId);
        q.addBindValue(leaseSeconds);
        if (Status s = db::exec(q); !s.ok())
            return s.error();
        return q.next() && q.value(0).toBool();
    });
    if (!leased.ok() || !leased.value())
        (void)boolQuery(db, QStringLiteral("SELECT pg_advisory_unlock(?::bigint)"), key.lockKey);
    return leased;
}

Result<QList<OwnedKey>> Ownership::renew(QSqlDatabase &db, const QString &instanceId, int leaseSeconds)
{
    return db::transaction(db, [&]() -> Result<QList<OwnedKey>> {
        if (Status s = asApp(db); !s.ok())
            return s.error();
        db::Query q(db, QStringLiteral("SELECT tenant_id::text, connection_id::text FROM whatsapp_renew(?, ?)"));
        q.addBindValue(instanceId);
        q.addBindValue(leaseSeconds);
        if (Status s = db::exec(q); !s.ok())
            return s.error();
        QList<OwnedKey> out;
        while (q.next())
            out.append(OwnedKey{QUuid::fromString(q.value(0).toString()), QUuid::fromString(q.value(1).toString()), 0});
        return out;
    });
}

Status Ownership::release(QSqlDatabase &db, const OwnedKey &key, const QString &instanceId)
{
    Status released = db::transaction(db, [&]() -> Status {
        if (Status s = asApp(db); !s.ok())
            return s;
        db::Query q(db, QStringLiteral("SELECT whatsapp_release(?::uuid, ?::uuid, ?)"));
        q.addBindValue(sql::text(key.tenantId));
        q.addBindValue(sql::text(key.connectionId));
        q.addBindValue(instanceId);
        return db::exec(q);
    });
    Result<bool> unlocked = boolQuery(db, QStringLiteral("SELECT pg_advisory_unlock(?::bigint)"), key.lockKey);
    if (!released.ok())
        return released;
    return unlocked.ok() ? Status() : Status(unlocked.error());
}

Status Ownership::unlock(QSqlDatabase &db, const OwnedKey &key)
{
    Result<bool> unlocked = boolQuery(db, QStringLiteral("SELECT pg_advisory_unlock(?::bigint)"), key.lockKey);
    return unlocked.ok() ? Status() : Status(unlocked.error());
}

Status Ownership::heartbeat(QSqlDatabase &db, const QUuid &instance, const QString &hostname, const QString &version)
{
    return db::transaction(db, [&]() -> Status {
        if (Status s = asApp(db); !s.ok())
            return s;
        db::Query q(db, QStringLiteral("SELECT server_instance_heartbeat(?::uuid, ?, ?)"));
        q.addBindValue(sql::text(instance));
        q.addBindValue(hostname);
        q.addBindValue(version);
        return db::exec(q);
    });
}

} // namespace atende::server::connectors
