#include "server/desk/message_status.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/message_repository.h"

#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Result;
using atende::core::Status;

namespace {

// Runs an UPDATE ... RETURNING id and reads the changed message back.
MaybeMessage changed(QSqlDatabase &db, const QUuid &tenantId, QSqlQuery &q)
{
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<MessageRecord>();
    const QUuid id = QUuid::fromString(q.value(0).toString());
    Result<MessageRecord> m = MessageRepository::find(db, tenantId, id);
    if (!m.ok())
        return m.error();
    return std::optional<MessageRecord>(m.value());
}

} // namespace

MaybeMessage markMessageSent(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId, const QString &externalId)
{
    db::Query q(
        db, QStringLiteral("UPDATE messages SET status = 'sent', external_id = ?, sent_at = clock_timestamp(), "
                           "failure_reason = '', updated_at = clock_timestamp() "
                           "WHERE tenant_id = ?::uuid AND id = ?::uuid AND kind = 'outbound' AND status = 'pending' "
                           "RETURNING id"));
    q.addBindValue(sql::nullable(externalId));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(messageId));
    return changed(db, tenantId, q);
}

MaybeMessage markMessageFailed(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId, const QString &reason)
{
    db::Query q(
        db, QStringLiteral("UPDATE messages SET status = 'failed', failure_reason = ?, updated_at = clock_timestamp() "
                           "WHERE tenant_id = ?::uuid AND id = ?::uuid AND kind = 'outbound' "
                           "AND status IN ('pending', 'sent') RETURNING id"));
    q.addBindValue(reason.left(200));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(messageId));
    return changed(db, tenantId, q);
}

MaybeMessage resetMessageForRetry(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId)
{
    db::Query q(db,
                QStringLiteral("UPDATE messages SET status = 'pending', failure_reason = '', "
                               "updated_at = clock_timestamp() "
                               "WHERE tenant_id = ?::uuid AND id = ?::uuid AND kind = 'outbound' AND status = 'failed' "
                               "RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(messageId));
    return changed(db, tenantId, q);
}

MaybeMessage applyMessageReceipt(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                 const QString &externalId, const QString &status, const QString &reason)
{
    // The rank order pending < sent < delivered < read; a receipt may skip steps (read implies delivered).
    db::Query q(
        db, QStringLiteral(
                "WITH r AS (SELECT ?::text AS status, ?::text AS reason) "
                "UPDATE messages m SET status = r.status, "
                "sent_at = CASE WHEN r.status IN ('delivered', 'read') THEN coalesce(m.sent_at, clock_timestamp()) "
                "          ELSE m.sent_at END, "
                "delivered_at = CASE WHEN r.status IN ('delivered', 'read') THEN coalesce(m.delivered_at, "
                "clock_timestamp()) "
                "               ELSE m.delivered_at END, "
                "read_at = CASE WHEN r.status = 'read' THEN coalesce(m.read_at, clock_timestamp()) ELSE m.read_at END, "
                "failure_reason = CASE WHEN r.status = 'failed' THEN r.reason ELSE m.failure_reason END, "
                "updated_at = clock_timestamp() "
                "FROM r WHERE m.tenant_id = ?::uuid AND m.connection_id = ?::uuid AND m.external_id = ? "
                "AND m.kind = 'outbound' AND CASE WHEN r.status = 'failed' THEN m.status IN ('pending', 'sent') "
                "ELSE m.status <> 'failed' AND array_position(ARRAY['pending', 'sent', 'delivered', 'read'], m.status) "
                "    < array_position(ARRAY['pending', 'sent', 'delivered', 'read'], r.status) END "
                "RETURNING m.id"));
    q.addBindValue(status);
    q.addBindValue(reason.left(200));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(externalId);
    return changed(db, tenantId, q);
}

} // namespace atende::server::desk
