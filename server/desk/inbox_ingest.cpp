// The ingest transaction (Inbox::ingest): checkInbound() and ingestIn().

#include "server/accounts/accounts_validation.h"
#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/connection_repository.h"
#include "server/desk/contacts_service.h"
#include "server/desk/desk_validation.h"
#include "server/desk/identity_repository.h"
#include "server/desk/inbox.h"
#include "server/desk/message_events.h"
#include "server/desk/message_repository.h"
#include "server/desk/ticket_router.h"

#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using atende::server::accounts::invalidField;

namespace {

constexpr qsizetype kMaxBodyLength = 65536;
constexpr qsizetype kMaxExternalIdLength = 128;

Status checkExternalId(const QString &value, const QString &field, bool required)
{
    if (value.isEmpty() && !required)
        return {};
    if (value.isEmpty())
        return invalidField(field, QStringLiteral("required"), QStringLiteral("%1 must not be empty").arg(field));
    if (value.size() > kMaxExternalIdLength)
        return invalidField(field, QStringLiteral("too_long"), QStringLiteral("%1 is too long").arg(field));
    return {};
}

// Serialises ingests of one (connection, external id) across workers and instances, so the duplicate check
// below sees a concurrent twin's row once it committed (instead of both routing and one failing late).
Status lockExternalId(QSqlDatabase &db, const QUuid &connectionId, const QString &externalId)
{
    db::Query q(db, QStringLiteral("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"));
    q.addBindValue(QStringLiteral("atende.ingest:") + sql::text(connectionId) + QLatin1Char(':') + externalId);
    return db::exec(q);
}

// The sender's contact. With a second identity (phone + LID): a contact known by either is used, and the
// identity it lacks is added to it, so later messages under either address land on the same contact. An
// identity already held by another contact stays there (two contacts are never merged behind an agent's
// back; agents merge them with contacts.merge).
Result<FoundContact> contactForInbound(QSqlDatabase &db, const InboundMessage &m, accounts::Outbox &outbox)
{
    if (m.alsoKind.isEmpty())
        return findOrCreateContactIn(db, m.tenantId, m.senderKind, m.senderValue, m.connectionId, m.displayName,
                                     outbox);
    Result<QUuid> primary = IdentityRepository::contactOf(db, m.tenantId, m.senderKind, m.senderValue);
    if (!primary.ok())
        return primary.error();
    Result<QUuid> other = IdentityRepository::contactOf(db, m.tenantId, m.alsoKind, m.alsoValue);
    if (!other.ok())
        return other.error();
    FoundContact found;
    if (!primary->isNull()) {
        found.contactId = primary.value();
    } else if (!other->isNull()) {
        found.contactId = other.value();
        Result<QUuid> added = IdentityRepository::insert(
            db, m.tenantId, {{}, found.contactId, m.senderKind, m.senderValue, m.connectionId});
        if (!added.ok() && added.error().code != QLatin1String(atende::core::errc::kConflict))
            return added.error();
    } else {
        Result<FoundContact> created =
            findOrCreateContactIn(db, m.tenantId, m.senderKind, m.senderValue, m.connectionId, m.displayName, outbox);
        if (!created.ok())
            return created.error();
        found = created.value();
    }
    if (other->isNull()) {
        Result<QUuid> added =
            IdentityRepository::insert(db, m.tenantId, {{}, found.contactId, m.alsoKind, m.alsoValue, m.connectionId});
        if (!added.ok() && added.error().code != QLatin1String(atende::core::errc::kConflict))
            return added.error();
    }
    return found;
}

} // namespace

Status checkInbound(InboundMessage &m)
{
    if (m.tenantId.isNull() || m.connectionId.isNull())
        return invalidField(QStringLiteral("connectionId"), QStringLiteral("required"),
                            QStringLiteral("an inbound message needs its tenant and connection"));
    if (m.senderKind != QLatin1String("wa_phone") && m.senderKind != QLatin1String("wa_lid"))
        return invalidField(QStringLiteral("senderKind"), QStringLiteral("invalid_kind"),
                            QStringLiteral("the sender must be a wa_phone or wa_lid identity"));
    if (Status s = checkIdentity(m.senderKind, m.senderValue); !s.ok())
        return s;
    if (!m.alsoKind.isEmpty()) {
        if ((m.alsoKind != QLatin1String("wa_phone") && m.alsoKind != QLatin1String("wa_lid")) ||
            m.alsoKind == m.senderKind)
            return invalidField(QStringLiteral("alsoKind"), QStringLiteral("invalid_kind"),
                                QStringLiteral("the second identity must be the other WhatsApp kind"));
        if (Status s = checkIdentity(m.alsoKind, m.alsoValue); !s.ok())
            return s;
    }
    if (Status s = checkExternalId(m.externalId, QStringLiteral("externalId"), true); !s.ok())
        return s;
    if (Status s = checkExternalId(m.quotedExternalId, QStringLiteral("quotedExternalId"), false); !s.ok())
        return s;
    if (m.body.size() > kMaxBodyLength)
        return invalidField(QStringLiteral("body"), QStringLiteral("too_long"), QStringLiteral("body is too long"));
    static const QStringList mediaKinds{
        QStringLiteral("image"),    QStringLiteral("video"),   QStringLiteral("audio"),    QStringLiteral("voice"),
        QStringLiteral("document"), QStringLiteral("sticker"), QStringLiteral("location"), QStringLiteral("contact")};
    if (!m.media.kind.isEmpty() && !mediaKinds.contains(m.media.kind))
        return invalidField(QStringLiteral("media.kind"), QStringLiteral("invalid_kind"),
                            QStringLiteral("unknown media kind"));
    m.displayName = m.displayName.trimmed().left(kMaxContactNameLength);
    return {};
}

Result<IngestResult> ingestIn(QSqlDatabase &db, const InboundMessage &m, accounts::Outbox &outbox)
{
    const QUuid tenantId = m.tenantId;
    if (Status s = lockExternalId(db, m.connectionId, m.externalId); !s.ok())
        return s.error();
    Result<std::optional<MessageRecord>> existing =
        MessageRepository::findByExternalId(db, tenantId, m.connectionId, m.externalId);
    if (!existing.ok())
        return existing.error();
    if (existing->has_value()) {
        const MessageRecord &stored = existing->value();
        return IngestResult{stored.id, stored.ticketId, stored.contactId, true};
    }
    if (Result<ConnectionRecord> c = ConnectionRepository::find(db, tenantId, m.connectionId); !c.ok())
        return c.error();

    Result<FoundContact> contact = contactForInbound(db, m, outbox);
    if (!contact.ok())
        return contact.error();
    Result<RoutedTicket> routed = routeInbound(db, tenantId, contact->contactId, m.connectionId, QUuid(), outbox);
    if (!routed.ok())
        return routed.error();
    const TicketRef ticket = ticketRefOf(routed->ticket);

    MessageRecord record;
    record.ticketId = ticket.id;
    record.cycle = ticket.cycle;
    record.contactId = contact->contactId;
    record.connectionId = m.connectionId;
    record.kind = QStringLiteral("inbound");
    record.body = m.body;
    record.status = QStringLiteral("received");
    record.externalId = m.externalId;
    record.media = m.media;
    if (!m.quotedExternalId.isEmpty()) {
        Result<std::optional<MessageRecord>> quoted =
            MessageRepository::findByExternalId(db, tenantId, m.connectionId, m.quotedExternalId);
        if (!quoted.ok())
            return quoted.error();
        if (quoted->has_value())
            record.quoted.id = quoted->value().id;
    }
    // created_at is the arrival time (µs, in arrival order); the sender's clock (seconds) goes to sent_at.
    Result<std::optional<QUuid>> id = MessageRepository::insert(db, tenantId, record);
    if (!id.ok())
        return id.error();
    if (!id->has_value())
        return Error::make(atende::core::errc::kConflict, QStringLiteral("the message was stored concurrently"));
    if (m.timestamp.isValid()) {
        db::Query q(db, QStringLiteral("UPDATE messages SET sent_at = least(?::timestamptz, created_at) "
                                       "WHERE tenant_id = ?::uuid AND id = ?::uuid"));
        q.addBindValue(m.timestamp.toUTC().toString(Qt::ISODateWithMs));
        q.addBindValue(sql::text(tenantId));
        q.addBindValue(sql::text(id->value()));
        if (Status s = db::exec(q); !s.ok())
            return s.error();
    }
    Result<MessageRecord> stored = MessageRepository::find(db, tenantId, id->value());
    if (!stored.ok())
        return stored.error();
    const QString preview = m.body.isEmpty() ? m.media.kind : m.body;
    if (Status s = touchTicketForMessage(db, tenantId, ticket.id, stored->createdAt, preview, true); !s.ok())
        return s.error();
    if (Status s = queueMessageChanged(db, outbox, tenantId, ticket, stored.value(), true); !s.ok())
        return s.error();
    return IngestResult{stored->id, ticket.id, contact->contactId, false};
}

} // namespace atende::server::desk
