#include "server/desk/connection_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"

#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

const QString kSelect = QStringLiteral("SELECT id, name, kind, status, ignore_groups, send_read_receipts, "
                                       "created_at, updated_at, deleted_at IS NOT NULL FROM connections");

ConnectionRecord readConnection(const QSqlQuery &q)
{
    ConnectionRecord c;
    c.id = QUuid::fromString(q.value(0).toString());
    c.name = q.value(1).toString();
    c.kind = q.value(2).toString();
    c.status = q.value(3).toString();
    c.ignoreGroups = q.value(4).toBool();
    c.sendReadReceipts = q.value(5).toBool();
    c.createdAt = q.value(6).toDateTime().toUTC();
    c.updatedAt = q.value(7).toDateTime().toUTC();
    c.deleted = q.value(8).toBool();
    return c;
}

Error noSuchConnection()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such connection"));
}

} // namespace

Result<QList<ConnectionRecord>> ConnectionRepository::list(QSqlDatabase &db, const QUuid &tenantId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(kSelect + QStringLiteral(" WHERE tenant_id = ?::uuid AND deleted_at IS NULL ORDER BY lower(name), id"));
    q.addBindValue(sql::text(tenantId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<ConnectionRecord> out;
    while (q.next())
        out.append(readConnection(q));
    return out;
}

Result<ConnectionRecord> ConnectionRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                                    bool forUpdate)
{
    db::Query q(db, kSelect + QStringLiteral(" WHERE tenant_id = ?::uuid AND id = ?::uuid AND deleted_at IS NULL") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return noSuchConnection();
    return readConnection(q);
}

Result<QUuid> ConnectionRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const ConnectionRecord &connection)
{
    db::Query q(db, QStringLiteral("INSERT INTO connections (tenant_id, name, kind, ignore_groups, send_read_receipts) "
                                   "VALUES (?::uuid, ?, ?, ?, ?) RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(connection.name);
    q.addBindValue(connection.kind);
    q.addBindValue(connection.ignoreGroups);
    q.addBindValue(connection.sendReadReceipts);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("connection insert returned nothing"));
    return QUuid::fromString(q.value(0).toString());
}

Status ConnectionRepository::update(QSqlDatabase &db, const QUuid &tenantId, const ConnectionRecord &connection)
{
    db::Query q(db,
                QStringLiteral("UPDATE connections SET name = ?, ignore_groups = ?, send_read_receipts = ?, "
                               "updated_at = now() WHERE tenant_id = ?::uuid AND id = ?::uuid AND deleted_at IS NULL"));
    q.addBindValue(connection.name);
    q.addBindValue(connection.ignoreGroups);
    q.addBindValue(connection.sendReadReceipts);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connection.id));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchConnection());
}

Status ConnectionRepository::softDelete(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId)
{
    db::Query q(db, QStringLiteral("UPDATE connections SET deleted_at = now(), updated_at = now() "
                                   "WHERE tenant_id = ?::uuid AND id = ?::uuid AND deleted_at IS NULL"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchConnection());
}

} // namespace atende::server::desk
