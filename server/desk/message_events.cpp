#include "server/desk/message_events.h"

#include "server/api/event_hub.h"
#include "server/api/permissions.h"

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Status;

namespace {

std::string idText(const QUuid &id)
{
    return id.isNull() ? std::string() : id.toString(QUuid::WithoutBraces).toStdString();
}

std::string timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

v1::Event changedEvent(const MessageRecord &message, bool created, bool mentioned)
{
    v1::Event e;
    v1::MessageChanged *c = e.mutable_message_changed();
    *c->mutable_message() = toProto(message);
    c->set_created(created);
    c->set_mentioned(mentioned);
    return e;
}

} // namespace

v1::Message toProto(const MessageRecord &m)
{
    v1::Message p;
    p.set_id(idText(m.id));
    p.set_ticket_id(idText(m.ticketId));
    p.set_cycle(quint32(qMax(1, m.cycle)));
    p.set_contact_id(idText(m.contactId));
    p.set_connection_id(idText(m.connectionId));
    p.set_kind(m.kind.toStdString());
    p.set_author_user_id(idText(m.authorUserId));
    p.set_automatic(m.automatic);
    p.set_body(m.body.toStdString());
    p.set_status(m.status.toStdString());
    p.set_failure_reason(m.failureReason.toStdString());
    p.set_external_id(m.externalId.toStdString());
    if (!m.quoted.id.isNull()) {
        v1::QuotedMessage *q = p.mutable_quoted();
        q->set_id(idText(m.quoted.id));
        q->set_kind(m.quoted.kind.toStdString());
        q->set_excerpt(m.quoted.excerpt.toStdString());
        q->set_author_user_id(idText(m.quoted.authorUserId));
    }
    for (const QUuid &u : m.mentions)
        p.add_mentions(idText(u));
    if (!m.media.kind.isEmpty()) {
        v1::MessageMedia *media = p.mutable_media();
        media->set_kind(m.media.kind.toStdString());
        media->set_mime(m.media.mime.toStdString());
        media->set_file_name(m.media.fileName.toStdString());
        media->set_size(quint64(qMax<qint64>(0, m.media.size)));
        media->set_sha256(m.media.sha256.toStdString());
        media->set_duration_s(quint32(qMax(0, m.media.durationS)));
        media->set_width(quint32(qMax(0, m.media.width)));
        media->set_height(quint32(qMax(0, m.media.height)));
    }
    p.set_created_at(timeText(m.createdAt));
    p.set_sent_at(timeText(m.sentAt));
    p.set_delivered_at(timeText(m.deliveredAt));
    p.set_read_at(timeText(m.readAt));
    p.set_client_request_id(m.clientRequestId.toStdString());
    return p;
}

TicketRef ticketRefOf(const TicketRecord &ticket)
{
    TicketRef t;
    t.id = ticket.id;
    t.contactId = ticket.contactId;
    t.connectionId = ticket.connectionId;
    t.sectorId = ticket.sectorId;
    t.assigneeId = ticket.assigneeId;
    t.state = ticket.state;
    t.cycle = ticket.cycle;
    return t;
}

api::Audience ticketAudience(const QUuid &tenantId, const TicketRef &t)
{
    api::Audience a;
    a.tenantId = tenantId;
    a.permission = QString::fromLatin1(api::perm::kTicketsRead);
    a.sectorId = t.sectorId;
    a.assigneeId = t.assigneeId;
    return a;
}

Status queueMessageChanged(QSqlDatabase &db, accounts::Outbox &outbox, const QUuid &tenantId, const TicketRef &t,
                           const MessageRecord &message, bool created)
{
    return outbox.add(db, ticketAudience(tenantId, t), changedEvent(message, created, false));
}

Status queueMentionAlert(QSqlDatabase &db, accounts::Outbox &outbox, const QUuid &tenantId, const QUuid &userId,
                         const MessageRecord &note)
{
    api::Audience audience;
    audience.tenantId = tenantId;
    audience.permission = QString::fromLatin1(api::perm::kTicketsRead);
    audience.userId = userId;
    return outbox.add(db, audience, changedEvent(note, true, true));
}

void publishEphemeral(api::EventHub *hub, const api::Audience &audience, v1::Event event)
{
    if (!hub)
        return;
    event.set_seq(0);
    event.set_tenant_id(audience.tenantId.toString(QUuid::WithoutBraces).toStdString());
    event.set_at(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
    // Ephemeral: not numbered, not stored; the hub also hands it to the other instances (EventRelay).
    hub->publishEphemeral(audience, event);
}

} // namespace atende::server::desk
