#include "server/desk/ticket_proto.h"

#include "server/api/permissions.h"

#include <QJsonArray>

namespace atende::server::desk {

namespace v1 = atende::api::v1;

namespace {

std::string idText(const QUuid &id)
{
    return id.isNull() ? std::string() : id.toString(QUuid::WithoutBraces).toStdString();
}

QJsonValue idJson(const QUuid &id)
{
    return id.isNull() ? QJsonValue() : QJsonValue(id.toString(QUuid::WithoutBraces));
}

std::string timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

v1::Event changedEvent(const TicketRecord &ticket, const QString &change, const QUuid &previousSectorId,
                       const QUuid &previousAssigneeId, bool alert)
{
    v1::Event e;
    v1::TicketChanged *c = e.mutable_ticket_changed();
    *c->mutable_ticket() = toProto(ticket);
    c->set_change(change.toStdString());
    c->set_previous_sector_id(idText(previousSectorId));
    c->set_previous_assignee_id(idText(previousAssigneeId));
    c->set_alert(alert);
    return e;
}

// Ticket events name the sector and the assignee besides the permission (EventHub's mayReceive()).
atende::core::Status addScoped(QSqlDatabase &db, const QUuid &tenantId, accounts::Outbox &outbox, v1::Event event,
                               const QUuid &sectorId, const QUuid &assigneeId)
{
    api::Audience audience;
    audience.tenantId = tenantId;
    audience.permission = QString::fromLatin1(api::perm::kTicketsRead);
    audience.sectorId = sectorId;
    audience.assigneeId = assigneeId;
    return outbox.add(db, audience, std::move(event));
}

} // namespace

v1::Ticket toProto(const TicketRecord &t)
{
    v1::Ticket p;
    p.set_id(idText(t.id));
    p.set_contact_id(idText(t.contactId));
    p.set_connection_id(idText(t.connectionId));
    p.set_sector_id(idText(t.sectorId));
    p.set_assignee_id(idText(t.assigneeId));
    p.set_state(t.state.toStdString());
    p.set_cycle(t.cycle);
    p.set_agent_initiated(t.agentInitiated);
    for (const QString &tag : t.tags)
        p.add_tags(tag.toStdString());
    p.set_cycle_started_at(timeText(t.cycleStartedAt));
    p.set_queued_at(timeText(t.queuedAt));
    p.set_accepted_at(timeText(t.acceptedAt));
    p.set_closed_at(timeText(t.closedAt));
    p.set_last_message_at(timeText(t.lastMessageAt));
    p.set_last_message_preview(t.lastMessagePreview.toStdString());
    p.set_unread_count(t.unreadCount);
    p.set_last_activity_at(timeText(t.lastActivityAt));
    p.set_created_at(timeText(t.createdAt));
    p.set_updated_at(timeText(t.updatedAt));
    p.set_contact_name(t.contactName.toStdString());
    p.set_contact_phone(t.contactPhone.toStdString());
    return p;
}

v1::TicketEvent toProto(const TicketEventRecord &e)
{
    v1::TicketEvent p;
    p.set_id(e.id);
    p.set_ticket_id(idText(e.ticketId));
    p.set_cycle(e.cycle);
    p.set_kind(e.kind.toStdString());
    p.set_actor_user_id(idText(e.actorUserId));
    p.set_from_state(e.fromState.toStdString());
    p.set_to_state(e.toState.toStdString());
    p.set_from_sector_id(idText(e.fromSectorId));
    p.set_to_sector_id(idText(e.toSectorId));
    p.set_from_user_id(idText(e.fromUserId));
    p.set_to_user_id(idText(e.toUserId));
    p.set_reason(e.reason.toStdString());
    for (auto it = e.data.begin(); it != e.data.end(); ++it) {
        const QJsonValue v = it.value();
        const QString text = v.isString() ? v.toString() : v.toVariant().toString();
        (*p.mutable_data())[it.key().toStdString()] = text.toStdString();
    }
    p.set_at(timeText(e.at));
    return p;
}

QJsonObject auditJson(const TicketRecord &t)
{
    return QJsonObject{{QStringLiteral("contactId"), idJson(t.contactId)},
                       {QStringLiteral("connectionId"), idJson(t.connectionId)},
                       {QStringLiteral("sectorId"), idJson(t.sectorId)},
                       {QStringLiteral("assigneeId"), idJson(t.assigneeId)},
                       {QStringLiteral("state"), t.state},
                       {QStringLiteral("cycle"), t.cycle},
                       {QStringLiteral("agentInitiated"), t.agentInitiated},
                       {QStringLiteral("tags"), QJsonArray::fromStringList(t.tags)},
                       {QStringLiteral("queuedAt"), timeJson(t.queuedAt)},
                       {QStringLiteral("acceptedAt"), timeJson(t.acceptedAt)},
                       {QStringLiteral("closedAt"), timeJson(t.closedAt)}};
}

TicketEventRecord ticketEvent(const TicketRecord &ticket, const QString &kind, const QUuid &actor)
{
    TicketEventRecord e;
    e.ticketId = ticket.id;
    e.cycle = ticket.cycle;
    e.kind = kind;
    e.actorUserId = actor;
    e.at = ticket.updatedAt;
    return e;
}

atende::core::Status queueTicketChanged(QSqlDatabase &db, const QUuid &tenantId, accounts::Outbox &outbox,
                                        const TicketRecord &ticket, const QString &change,
                                        const QUuid &previousSectorId, const QUuid &previousAssigneeId, bool alert)
{
    if (atende::core::Status s =
            addScoped(db, tenantId, outbox, changedEvent(ticket, change, previousSectorId, previousAssigneeId, alert),
                      ticket.sectorId, ticket.assigneeId);
        !s.ok())
        return s;
    // A ticket without a sector reaches every holder of tickets.read, the previous audience included.
    const bool leftSector = previousSectorId != ticket.sectorId;
    const bool leftAssignee = !previousAssigneeId.isNull() && previousAssigneeId != ticket.assigneeId;
    if (ticket.sectorId.isNull() || (!leftSector && !leftAssignee))
        return {};
    return addScoped(db, tenantId, outbox, changedEvent(ticket, change, previousSectorId, previousAssigneeId, false),
                     previousSectorId, previousAssigneeId);
}

} // namespace atende::server::desk
