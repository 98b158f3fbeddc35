#include "server/desk/ticket_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/ticket_row.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

// Column 19 is the exact last_activity_at for the keyset cursor, 20 the tenant (for the contact columns).
const QString kColumns = QStringLiteral(
    "t.id, t.contact_id, t.connection_id, t.sector_id, t.assignee_id, t.state, t.cycle, t.agent_initiated, "
    "array_to_json(t.tags)::text AS tags_json, t.cycle_started_at, t.queued_at, t.accepted_at, t.closed_at, "
    "t.last_message_at, t.last_message_preview, t.unread_count, t.last_activity_at, t.created_at, t.updated_at, "
    "to_char(t.last_activity_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS activity_key, "
    "t.tenant_id AS row_tenant_id");
// Columns 20 and 21, read after the rest (see ticketContactColumns()).
// %1: the tenant column, %2: the contact id column.
const QString kContactColumns =
    QStringLiteral("(SELECT c.name FROM contacts c WHERE c.tenant_id = %1 AND c.id = %2) AS contact_name, "
                   "(SELECT c.phone FROM contacts c WHERE c.tenant_id = %1 AND c.id = %2) AS contact_phone");
const QString kAllColumns = kColumns + QStringLiteral(", ") +
                            kContactColumns.arg(QStringLiteral("t.tenant_id"), QStringLiteral("t.contact_id"));
constexpr int kActivityKeyColumn = 19;

// One timestamp per change (see the header), taken when the statement runs.
const QString kChangeTime = QStringLiteral("(SELECT date_trunc('milliseconds', clock_timestamp()) AS ts) v");

QDateTime timeOf(const QVariant &v)
{
    return v.isNull() ? QDateTime() : v.toDateTime().toUTC();
}

QUuid uuidOf(const QVariant &v)
{
    return v.isNull() ? QUuid() : QUuid::fromString(v.toString());
}

} // namespace

const QString &ticketColumns()
{
    return kColumns;
}

QString ticketContactColumns(const QString &alias)
{
    return kContactColumns.arg(alias + QStringLiteral(".row_tenant_id"), alias + QStringLiteral(".contact_id"));
}

QString ticketActivityKey(const QSqlQuery &q)
{
    return q.value(kActivityKeyColumn).toString();
}

TicketRecord readTicketRow(const QSqlQuery &q)
{
    TicketRecord t;
    t.id = uuidOf(q.value(0));
    t.contactId = uuidOf(q.value(1));
    t.connectionId = uuidOf(q.value(2));
    t.sectorId = uuidOf(q.value(3));
    t.assigneeId = uuidOf(q.value(4));
    t.state = q.value(5).toString();
    t.cycle = q.value(6).toInt();
    t.agentInitiated = q.value(7).toBool();
    for (const QJsonValue &tag : QJsonDocument::fromJson(q.value(8).toString().toUtf8()).array())
        t.tags.append(tag.toString());
    t.cycleStartedAt = timeOf(q.value(9));
    t.queuedAt = timeOf(q.value(10));
    t.acceptedAt = timeOf(q.value(11));
    t.closedAt = timeOf(q.value(12));
    t.lastMessageAt = timeOf(q.value(13));
    t.lastMessagePreview = q.value(14).toString();
    t.unreadCount = q.value(15).toInt();
    t.lastActivityAt = timeOf(q.value(16));
    t.createdAt = timeOf(q.value(17));
    t.updatedAt = timeOf(q.value(18));
    t.contactName = q.value(21).toString();
    t.contactPhone = q.value(22).toString();
    return t;
}

namespace {

QVariant uuidOrNull(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(sql::text(id));
}

QVariant textOrNull(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

void bindAll(QSqlQuery &q, const QVariantList &binds)
{
    for (const QVariant &b : binds)
        q.addBindValue(b);
}

Result<std::optional<TicketRecord>> readOptional(QSqlQuery &q)
{
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<TicketRecord>();
    return std::optional<TicketRecord>(readTicketRow(q));
}

} // namespace

Error noSuchTicket()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such ticket"));
}

QString encodeTicketCursor(const TicketCursor &cursor)
{
    const QJsonObject o{{QStringLiteral("a"), cursor.at}, {QStringLiteral("i"), sql::text(cursor.id)}};
    return QString::fromLatin1(QJsonDocument(o)
                                   .toJson(QJsonDocument::Compact)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<TicketCursor> decodeTicketCursor(const QString &text)
{
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding |
                                                                             QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(*decoded).object();
    TicketCursor c{o.value(QStringLiteral("a")).toString(), QUuid::fromString(o.value(QStringLiteral("i")).toString())};
    // The time goes back into SQL as a bound ::timestamptz: only the shape activity_key writes is accepted.
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$"));
    if (c.id.isNull() || !shape.match(c.at).hasMatch())
        return std::nullopt;
    return c;
}

Result<TicketRecord> TicketRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                            bool forUpdate)
{
    db::Query q(db, QStringLiteral("SELECT ") + kAllColumns +
                        QStringLiteral(" FROM tickets t WHERE t.tenant_id = ?::uuid AND t.id = ?::uuid") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    Result<std::optional<TicketRecord>> r = readOptional(q);
    if (!r.ok())
        return r.error();
    if (!r.value())
        return noSuchTicket();
    return *r.value();
}

Result<std::optional<TicketRecord>> TicketRepository::findActive(QSqlDatabase &db, const QUuid &tenantId,
                                                                 const QUuid &contactId, const QUuid &connectionId,
                                                                 bool forUpdate)
{
    db::Query q(db, QStringLiteral("SELECT ") + kAllColumns +
                        QStringLiteral(" FROM tickets t WHERE t.tenant_id = ?::uuid AND t.contact_id = ?::uuid "
                                       "AND t.connection_id = ?::uuid AND t.state <> 'closed'") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contactId));
    q.addBindValue(sql::text(connectionId));
    return readOptional(q);
}

Result<std::optional<TicketRecord>> TicketRepository::insert(QSqlDatabase &db, const QUuid &tenantId,
                                                             const TicketRecord &ticket)
{
    db::Query q(
        db, QStringLiteral("INSERT INTO tickets AS t (tenant_id, contact_id, connection_id, sector_id, assignee_id, "
                           "state, agent_initiated, cycle_started_at, queued_at, accepted_at, last_activity_at, "
                           "created_at, updated_at) "
                           "SELECT ?::uuid, ?::uuid, ?::uuid, ?::uuid, ?::uuid, ?, ?, v.ts, "
                           "CASE WHEN ? = 'waiting' THEN v.ts END, CASE WHEN ? = 'in_service' THEN v.ts END, "
                           "v.ts, v.ts, v.ts FROM ") +
                kChangeTime + QStringLiteral(" ON CONFLICT DO NOTHING RETURNING ") + kAllColumns);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticket.contactId));
    q.addBindValue(sql::text(ticket.connectionId));
    q.addBindValue(uuidOrNull(ticket.sectorId));
    q.addBindValue(uuidOrNull(ticket.assigneeId));
    q.addBindValue(ticket.state);
    q.addBindValue(ticket.agentInitiated);
    q.addBindValue(ticket.state);
    q.addBindValue(ticket.state);
    return readOptional(q);
}

Result<std::optional<TicketRecord>> TicketRepository::update(QSqlDatabase &db, const QUuid &tenantId,
                                                             const QUuid &ticketId, const QString &set,
                                                             const QVariantList &setBinds, const QString &condition,
                                                             const QVariantList &conditionBinds)
{
    db::Query q(db, QStringLiteral("UPDATE tickets t SET ") + set + QStringLiteral(", updated_at = v.ts FROM ") +
                        kChangeTime + QStringLiteral(" WHERE t.tenant_id = ?::uuid AND t.id = ?::uuid AND (") +
                        condition + QStringLiteral(") RETURNING ") + kAllColumns);
    bindAll(q, setBinds);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    bindAll(q, conditionBinds);
    return readOptional(q);
}

Result<qint64> TicketRepository::appendEvent(QSqlDatabase &db, const QUuid &tenantId, const TicketEventRecord &e)
{
    db::Query q(
        db, QStringLiteral("INSERT INTO ticket_events (tenant_id, ticket_id, cycle, kind, actor_user_id, from_state, "
                           "to_state, from_sector_id, to_sector_id, from_user_id, to_user_id, reason, data, at) "
                           "VALUES (?::uuid, ?::uuid, ?, ?, ?::uuid, ?, ?, ?::uuid, ?::uuid, ?::uuid, ?::uuid, ?, "
                           "?::jsonb, coalesce(?::timestamptz, clock_timestamp())) RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(e.ticketId));
    q.addBindValue(e.cycle);
    q.addBindValue(e.kind);
    q.addBindValue(uuidOrNull(e.actorUserId));
    q.addBindValue(textOrNull(e.fromState));
    q.addBindValue(textOrNull(e.toState));
    q.addBindValue(uuidOrNull(e.fromSectorId));
    q.addBindValue(uuidOrNull(e.toSectorId));
    q.addBindValue(uuidOrNull(e.fromUserId));
    q.addBindValue(uuidOrNull(e.toUserId));
    q.addBindValue(e.reason.isNull() ? QStringLiteral("") : e.reason);
    q.addBindValue(QString::fromUtf8(QJsonDocument(e.data).toJson(QJsonDocument::Compact)));
    q.addBindValue(e.at.isValid() ? QVariant(e.at.toUTC().toString(Qt::ISODateWithMs))
                                  : QVariant(QMetaType::fromType<QString>()));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("ticket event insert returned nothing"));
    return q.value(0).toLongLong();
}

Result<QList<TicketEventRecord>> TicketRepository::events(QSqlDatabase &db, const QUuid &tenantId,
                                                          const QUuid &ticketId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, ticket_id, cycle, kind, actor_user_id, from_state, to_state, from_sector_id, "
                             "to_sector_id, from_user_id, to_user_id, reason, data::text, at FROM ticket_events "
                             "WHERE tenant_id = ?::uuid AND ticket_id = ?::uuid ORDER BY id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticketId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<TicketEventRecord> out;
    while (q.next()) {
        TicketEventRecord e;
        e.id = q.value(0).toLongLong();
        e.ticketId = uuidOf(q.value(1));
        e.cycle = q.value(2).toInt();
        e.kind = q.value(3).toString();
        e.actorUserId = uuidOf(q.value(4));
        e.fromState = q.value(5).toString();
        e.toState = q.value(6).toString();
        e.fromSectorId = uuidOf(q.value(7));
        e.toSectorId = uuidOf(q.value(8));
        e.fromUserId = uuidOf(q.value(9));
        e.toUserId = uuidOf(q.value(10));
        e.reason = q.value(11).toString();
        e.data = QJsonDocument::fromJson(q.value(12).toString().toUtf8()).object();
        e.at = timeOf(q.value(13));
        out.append(e);
    }
    return out;
}

} // namespace atende::server::desk
