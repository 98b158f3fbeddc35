#include "server/desk/inbox.h"

#include "server/accounts/accounts_validation.h"
#include "server/accounts/sql_values.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/db/sql_util.h"
#include "server/desk/desk_validation.h"
#include "server/desk/message_events.h"
#include "server/desk/message_repository.h"
#include "server/desk/message_status.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSqlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcDesk)

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
namespace v1 = atende::api::v1;
using accounts::Committed;
using accounts::Outbox;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

Error gone()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

// Internal errors are logged (without message content) and reach the connector without detail.
Error reported(const Error &e, const char *what)
{
    if (e.code != QLatin1String(errc::kInternal))
        return e;
    qCWarning(lcDesk) << "inbox" << what << "failed:" << e.message;
    return Error::make(errc::kInternal, QStringLiteral("internal error"));
}

// One worker per conversation keeps its messages in arrival order.
quint64 conversationKey(const QUuid &connectionId, const QString &kind, const QString &value)
{
    return quint64(qHash(sql::text(connectionId) + kind + value));
}

} // namespace

Inbox::Inbox(db::DbExecutor &db, api::EventHub *hub, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
{}

QCoro::Task<Result<IngestResult>> Inbox::ingest(InboundMessage message)
{
    if (Status s = checkInbound(message); !s.ok())
        co_return s.error();
    QPointer<Inbox> self(this);
    const quint64 key = conversationKey(message.connectionId, message.senderKind, message.senderValue);
    QFuture<Result<Committed<IngestResult>>> f =
        m_db.runTenantKeyed(key, message.tenantId, [message](QSqlDatabase &db) -> Result<Committed<IngestResult>> {
            Committed<IngestResult> out{{}, {}};
            Result<IngestResult> r = ingestIn(db, message, out.outbox);
            if (!r.ok())
                return r.error();
            out.value = r.value();
            return out;
        });
    co_await db::Finished(f);
    Result<Committed<IngestResult>> r = f.result();
    if (!self)
        co_return gone();
    if (!r.ok())
        co_return reported(r.error(), "ingest");
    publishOutbox(m_hub, r->outbox);
    co_return r->value;
}

QCoro::Task<Result<bool>> Inbox::isStored(QUuid tenantId, QUuid connectionId, QString externalId)
{
    if (externalId.isEmpty() || tenantId.isNull() || connectionId.isNull())
        co_return accounts::invalidField(QStringLiteral("externalId"), QStringLiteral("required"),
                                         QStringLiteral("a lookup names its connection and message"));
    QPointer<Inbox> self(this);
    QFuture<Result<bool>> f =
        m_db.runTenant(tenantId, [tenantId, connectionId, externalId](QSqlDatabase &db) -> Result<bool> {
            Result<std::optional<MessageRecord>> known =
                MessageRepository::findByExternalId(db, tenantId, connectionId, externalId);
            if (!known.ok())
                return known.error();
            return known->has_value();
        });
    co_await db::Finished(f);
    Result<bool> r = f.result();
    if (!self)
        co_return gone();
    if (!r.ok())
        co_return reported(r.error(), "lookup");
    co_return r.value();
}

QCoro::Task<Result<bool>> Inbox::receipt(Receipt receipt)
{
    static const QStringList statuses{QStringLiteral("delivered"), QStringLiteral("read"), QStringLiteral("failed")};
    if (!statuses.contains(receipt.status))
        co_return accounts::invalidField(QStringLiteral("status"), QStringLiteral("invalid_status"),
                                         QStringLiteral("a receipt is delivered, read or failed"));
    if (receipt.externalId.isEmpty() || receipt.tenantId.isNull() || receipt.connectionId.isNull())
        co_return accounts::invalidField(QStringLiteral("externalId"), QStringLiteral("required"),
                                         QStringLiteral("a receipt names its connection and message"));
    QPointer<Inbox> self(this);
    QFuture<Result<Committed<bool>>> f =
        m_db.runTenant(receipt.tenantId, [receipt](QSqlDatabase &db) -> Result<Committed<bool>> {
            const QUuid tenantId = receipt.tenantId;
            Result<std::optional<MessageRecord>> known =
                MessageRepository::findByExternalId(db, tenantId, receipt.connectionId, receipt.externalId);
            if (!known.ok())
                return known.error();
            if (!known->has_value())
                return Error::make(errc::kNotFound, QStringLiteral("no message with this external id"));
            Committed<bool> out{false, {}};
            MaybeMessage changed = applyMessageReceipt(db, tenantId, receipt.connectionId, receipt.externalId,
                                                       receipt.status, receipt.reason);
            if (!changed.ok())
                return changed.error();
            if (!changed->has_value())
                return out;
            Result<TicketRef> t = MessageRepository::ticket(db, tenantId, changed->value().ticketId);
            if (!t.ok())
                return t.error();
            if (Status s = queueMessageChanged(db, out.outbox, tenantId, t.value(), changed->value(), false); !s.ok())
                return s.error();
            out.value = true;
            return out;
        });
    co_await db::Finished(f);
    Result<Committed<bool>> r = f.result();
    if (!self)
        co_return gone();
    if (!r.ok())
        co_return reported(r.error(), "receipt");
    publishOutbox(m_hub, r->outbox);
    co_return r->value;
}

QCoro::Task<Result<TicketRef>> Inbox::activeTicketOf(QUuid tenantId, QUuid connectionId, QString kind, QString value)
{
    if (Status s = checkIdentity(kind, value); !s.ok())
        co_return s.error();
    QPointer<Inbox> self(this);
    QFuture<Result<TicketRef>> f =
        m_db.runTenant(tenantId, [tenantId, connectionId, kind, value](QSqlDatabase &db) -> Result<TicketRef> {
            db::Query q(
                db, QStringLiteral("SELECT t.id FROM contact_identities i JOIN tickets t ON t.tenant_id = "
                                   "i.tenant_id AND t.contact_id = i.contact_id WHERE i.tenant_id = ?::uuid AND "
                                   "i.kind = ? AND i.value = ? AND t.connection_id = ?::uuid AND t.state <> 'closed'"));
            q.addBindValue(sql::text(tenantId));
            q.addBindValue(kind);
            q.addBindValue(value);
            q.addBindValue(sql::text(connectionId));
            if (Status s = db::exec(q); !s.ok())
                return s.error();
            if (!q.next())
                return Error::make(errc::kNotFound, QStringLiteral("no active ticket for this sender"));
            return MessageRepository::ticket(db, tenantId, QUuid::fromString(q.value(0).toString()));
        });
    co_await db::Finished(f);
    Result<TicketRef> r = f.result();
    if (!self)
        co_return gone();
    co_return r;
}

QCoro::Task<Status> Inbox::typing(QUuid tenantId, QUuid connectionId, QString senderKind, QString senderValue,
                                  bool typing)
{
    QPointer<Inbox> self(this);
    auto tTask = activeTicketOf(tenantId, connectionId, senderKind, senderValue);
    Result<TicketRef> t = co_await tTask;
    if (!self)
        co_return gone();
    if (!t.ok())
        co_return t.error().code == QLatin1String(errc::kNotFound) ? Status() : Status(reported(t.error(), "typing"));
    v1::Event e;
    v1::Typing *p = e.mutable_typing();
    p->set_ticket_id(sql::text(t->id).toStdString());
    p->set_contact_id(sql::text(t->contactId).toStdString());
    p->set_connection_id(sql::text(connectionId).toStdString());
    p->set_typing(typing);
    publishEphemeral(m_hub, ticketAudience(tenantId, t.value()), std::move(e));
    co_return Status();
}

QCoro::Task<Status> Inbox::presence(QUuid tenantId, QUuid connectionId, QString senderKind, QString senderValue,
                                    QString presence, QDateTime lastSeen)
{
    QPointer<Inbox> self(this);
    auto tTask = activeTicketOf(tenantId, connectionId, senderKind, senderValue);
    Result<TicketRef> t = co_await tTask;
    if (!self)
        co_return gone();
    if (!t.ok())
        co_return t.error().code == QLatin1String(errc::kNotFound) ? Status() : Status(reported(t.error(), "presence"));
    v1::Event e;
    v1::Presence *p = e.mutable_presence();
    p->set_contact_id(sql::text(t->contactId).toStdString());
    p->set_connection_id(sql::text(connectionId).toStdString());
    p->set_presence(presence.left(32).toStdString());
    if (lastSeen.isValid())
        p->set_last_seen(lastSeen.toUTC().toString(Qt::ISODateWithMs).toStdString());
    publishEphemeral(m_hub, ticketAudience(tenantId, t.value()), std::move(e));
    co_return Status();
}

} // namespace atende::server::desk
