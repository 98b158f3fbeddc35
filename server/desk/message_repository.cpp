#include "server/desk/message_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"

#include <QByteArray>
#include <QSqlQuery>
#include <QStringList>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

QVariant nullableId(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(sql::text(id));
}

QVariant nullableInt(qint64 v)
{
    return v <= 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(v);
}

QUuid idAt(const QSqlQuery &q, int i)
{
    return q.value(i).isNull() ? QUuid() : QUuid::fromString(q.value(i).toString());
}

QDateTime timeAt(const QSqlQuery &q, int i)
{
    return q.value(i).isNull() ? QDateTime() : q.value(i).toDateTime().toUTC();
}

Error noSuchMessage()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such message"));
}

Result<std::optional<MessageRecord>> optionalRow(QSqlQuery &q)
{
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<MessageRecord>();
    return std::optional<MessageRecord>(messageFromRow(q));
}

} // namespace

QString selectMessageSql()
{
    return QStringLiteral(
        "SELECT m.id, m.ticket_id, m.cycle, m.contact_id, m.connection_id, m.kind, m.author_user_id, m.automatic, "
        "m.body, m.status, m.failure_reason, m.external_id, m.quoted_id, q.kind, left(q.body, 120), "
        "q.author_user_id, array_to_string(m.mentions, ','), m.media_kind, m.media_mime, m.media_file_name, "
        "m.media_size, m.media_sha256, m.media_duration_s, m.media_width, m.media_height, m.client_request_id, "
        "m.created_at, (extract(epoch FROM m.created_at) * 1000000)::bigint, m.sent_at, m.delivered_at, m.read_at "
        "FROM messages m LEFT JOIN messages q ON q.tenant_id = m.tenant_id AND q.id = m.quoted_id ");
}

MessageRecord messageFromRow(const QSqlQuery &q)
{
    MessageRecord m;
    m.id = idAt(q, 0);
    m.ticketId = idAt(q, 1);
    m.cycle = q.value(2).toInt();
    m.contactId = idAt(q, 3);
    m.connectionId = idAt(q, 4);
    m.kind = q.value(5).toString();
    m.authorUserId = idAt(q, 6);
    m.automatic = q.value(7).toBool();
    m.body = q.value(8).toString();
    m.status = q.value(9).toString();
    m.failureReason = q.value(10).toString();
    m.externalId = q.value(11).toString();
    m.quoted.id = idAt(q, 12);
    m.quoted.kind = q.value(13).toString();
    m.quoted.excerpt = q.value(14).toString();
    m.quoted.authorUserId = idAt(q, 15);
    m.mentions = sql::uuidList(q.value(16));
    m.media.kind = q.value(17).toString();
    m.media.mime = q.value(18).toString();
    m.media.fileName = q.value(19).toString();
    m.media.size = q.value(20).toLongLong();
    m.media.sha256 = q.value(21).toString();
    m.media.durationS = q.value(22).toInt();
    m.media.width = q.value(23).toInt();
    m.media.height = q.value(24).toInt();
    m.clientRequestId = q.value(25).toString();
    m.createdAt = timeAt(q, 26);
    m.createdUs = q.value(27).toLongLong();
    m.sentAt = timeAt(q, 28);
    m.deliveredAt = timeAt(q, 29);
    m.readAt = timeAt(q, 30);
    return m;
}

Result<TicketRef> MessageRepository::ticket(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                            bool forUpdate)
{
    db::Query q(
        db, QStringLiteral("SELECT id, contact_id, connection_id, sector_id, assignee_id, state, cycle FROM tickets "
                           "WHERE tenant_id = ?::uuid AND id = ?::uuid") +
                (forUpdate ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such ticket"));
    TicketRef t;
    t.id = idAt(q, 0);
    t.contactId = idAt(q, 1);
    t.connectionId = idAt(q, 2);
    t.sectorId = idAt(q, 3);
    t.assigneeId = idAt(q, 4);
    t.state = q.value(5).toString();
    t.cycle = q.value(6).toInt();
    return t;
}

Result<MessageRecord> MessageRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId,
                                              bool forUpdate)
{
    db::Query q(db, selectMessageSql() + QStringLiteral("WHERE m.tenant_id = ?::uuid AND m.id = ?::uuid") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE OF m") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(messageId));
    Result<std::optional<MessageRecord>> r = optionalRow(q);
    if (!r.ok())
        return r.error();
    if (!r->has_value())
        return noSuchMessage();
    return r->value();
}

Result<std::optional<MessageRecord>> MessageRepository::findByExternalId(QSqlDatabase &db, const QUuid &tenantId,
                                                                         const QUuid &connectionId,
                                                                         const QString &externalId)
{
    db::Query q(db,
                selectMessageSql() +
                    QStringLiteral("WHERE m.tenant_id = ?::uuid AND m.connection_id = ?::uuid AND m.external_id = ?"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(externalId);
    return optionalRow(q);
}

Result<std::optional<MessageRecord>> MessageRepository::findByClientRequest(QSqlDatabase &db, const QUuid &tenantId,
                                                                            const QUuid &authorId,
                                                                            const QString &clientRequestId)
{
    db::Query q(db, selectMessageSql() + QStringLiteral("WHERE m.tenant_id = ?::uuid AND m.author_user_id = ?::uuid "
                                                        "AND m.client_request_id = ?"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(authorId));
    q.addBindValue(clientRequestId);
    return optionalRow(q);
}

Result<std::optional<MessageRecord>> MessageRepository::lastInbound(QSqlDatabase &db, const QUuid &tenantId,
                                                                    const QUuid &ticketId)
{
    db::Query q(db, selectMessageSql() + QStringLiteral("WHERE m.tenant_id = ?::uuid AND m.ticket_id = ?::uuid "
                                                        "AND m.kind = 'inbound' AND m.external_id IS NOT NULL "
                                                        "ORDER BY m.created_at DESC, m.id DESC LIMIT 1"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    return optionalRow(q);
}

Result<std::optional<QUuid>> MessageRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const MessageRecord &m,
                                                       const QDateTime &at)
{
    db::Query q(
        db, QStringLiteral(
                "INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, author_user_id, "
                "automatic, body, status, failure_reason, external_id, quoted_id, mentions, media_kind, media_mime, "
                "media_file_name, media_size, media_sha256, media_duration_s, media_width, media_height, "
                "client_request_id, created_at) "
                "VALUES (?::uuid, ?::uuid, ?, ?::uuid, ?::uuid, ?, ?::uuid, ?, ?, ?, ?, ?, ?::uuid, ?::uuid[], ?, ?, "
                "?, ?, ?, "
                "?, ?, ?, ?, coalesce(?::timestamptz, clock_timestamp())) "
                "ON CONFLICT DO NOTHING RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(m.ticketId));
    q.addBindValue(m.cycle);
    q.addBindValue(sql::text(m.contactId));
    q.addBindValue(sql::text(m.connectionId));
    q.addBindValue(m.kind);
    q.addBindValue(nullableId(m.authorUserId));
    q.addBindValue(m.automatic);
    q.addBindValue(m.body.isNull() ? QString(QLatin1String("")) : m.body);
    q.addBindValue(m.status);
    q.addBindValue(m.failureReason.isNull() ? QString(QLatin1String("")) : m.failureReason);
    q.addBindValue(sql::nullable(m.externalId));
    q.addBindValue(nullableId(m.quoted.id));
    q.addBindValue(sql::uuidArray(m.mentions));
    q.addBindValue(sql::nullable(m.media.kind));
    q.addBindValue(sql::nullable(m.media.mime));
    q.addBindValue(sql::nullable(m.media.fileName));
    q.addBindValue(m.media.kind.isEmpty() ? QVariant(QMetaType::fromType<qint64>()) : QVariant(m.media.size));
    q.addBindValue(sql::nullable(m.media.sha256));
    q.addBindValue(nullableInt(m.media.durationS));
    q.addBindValue(nullableInt(m.media.width));
    q.addBindValue(nullableInt(m.media.height));
    q.addBindValue(sql::nullable(m.clientRequestId));
    q.addBindValue(at.isValid() ? QVariant(at.toUTC().toString(Qt::ISODateWithMs))
                                : QVariant(QMetaType::fromType<QString>()));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<QUuid>();
    return std::optional<QUuid>(QUuid::fromString(q.value(0).toString()));
}

Result<bool> MessageRepository::hasFirstResponse(QSqlDatabase &db, const QUuid &tenantId, const TicketRef &t)
{
    db::Query q(db, QStringLiteral("SELECT EXISTS (SELECT 1 FROM ticket_events WHERE tenant_id = ?::uuid AND "
                                   "ticket_id = ?::uuid AND cycle = ? AND kind = 'first_response')"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(t.id));
    q.addBindValue(t.cycle);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.next() && q.value(0).toBool();
}

Status MessageRepository::appendFirstResponse(QSqlDatabase &db, const QUuid &tenantId, const TicketRef &t,
                                              const MessageRecord &m)
{
    db::Query q(db,
                QStringLiteral("INSERT INTO ticket_events (tenant_id, ticket_id, cycle, kind, actor_user_id, "
                               "from_state, to_state, data) VALUES (?::uuid, ?::uuid, ?, 'first_response', ?::uuid, ?, "
                               "?, jsonb_build_object('messageId', ?::text))"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(t.id));
    q.addBindValue(t.cycle);
    q.addBindValue(nullableId(m.authorUserId));
    q.addBindValue(t.state);
    q.addBindValue(t.state);
    q.addBindValue(sql::text(m.id));
    return db::exec(q);
}

Result<bool> MessageRepository::clearUnread(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId)
{
    db::Query q(db, QStringLiteral("UPDATE tickets SET unread_count = 0, updated_at = clock_timestamp() "
                                   "WHERE tenant_id = ?::uuid AND id = ?::uuid AND unread_count <> 0"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.numRowsAffected() > 0;
}

Result<QList<QUuid>> MessageRepository::existingUsers(QSqlDatabase &db, const QUuid &tenantId, const QList<QUuid> &ids)
{
    db::Query q(db, QStringLiteral("SELECT id FROM users WHERE tenant_id = ?::uuid AND id = ANY(?::uuid[])"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::uuidArray(ids));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<QUuid> out;
    while (q.next())
        out.append(QUuid::fromString(q.value(0).toString()));
    return out;
}

QString encodeMessageCursor(const MessageCursor &cursor)
{
    const QByteArray raw = QByteArray::number(cursor.createdUs) + '/' + sql::text(cursor.id).toLatin1();
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<MessageCursor> decodeMessageCursor(const QString &text)
{
    const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QList<QByteArray> parts = decoded.decoded.split('/');
    if (parts.size() != 2)
        return std::nullopt;
    bool ok = false;
    MessageCursor c;
    c.createdUs = parts.at(0).toLongLong(&ok);
    c.id = QUuid::fromString(QString::fromLatin1(parts.at(1)));
    if (!ok || c.id.isNull())
        return std::nullopt;
    return c;
}

} // namespace atende::server::desk
