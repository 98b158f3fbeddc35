// Inbox::systemMessage: a connector's system line on the sender's active ticket.

#include "server/accounts/accounts_validation.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/desk/desk_tx.h"
#include "server/desk/inbox.h"
#include "server/desk/message_events.h"
#include "server/desk/message_repository.h"
#include "server/desk/ticket_router.h"

#include <QPointer>

namespace atende::server::desk {

using accounts::Committed;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

QCoro::Task<Status> Inbox::systemMessage(QUuid tenantId, QUuid connectionId, QString senderKind, QString senderValue,
                                         QString body)
{
    if (body.isEmpty() || body.size() > 4096)
        co_return accounts::invalidField(QStringLiteral("body"), QStringLiteral("invalid_length"),
                                         QStringLiteral("a system line has 1 to 4,096 characters"));
    QPointer<Inbox> self(this);
    auto tTask = activeTicketOf(tenantId, connectionId, senderKind, senderValue);
    Result<TicketRef> t = co_await tTask;
    if (!self)
        co_return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
    if (!t.ok())
        co_return t.error().code == QLatin1String(errc::kNotFound) ? Status() : Status(t.error());
    const TicketRef ticket = t.value();
    QFuture<Result<Committed<bool>>> f =
        m_db.runTenant(tenantId, [tenantId, ticket, body](QSqlDatabase &db) -> Result<Committed<bool>> {
            Committed<bool> out{false, {}};
            MessageRecord record;
            record.ticketId = ticket.id;
            record.cycle = ticket.cycle;
            record.contactId = ticket.contactId;
            record.connectionId = ticket.connectionId;
            record.kind = QStringLiteral("system");
            record.body = body;
            record.status = QStringLiteral("none");
            Result<std::optional<QUuid>> id = MessageRepository::insert(db, tenantId, record);
            if (!id.ok())
                return id.error();
            if (!id->has_value())
                return out;
            Result<MessageRecord> stored = MessageRepository::find(db, tenantId, id->value());
            if (!stored.ok())
                return stored.error();
            if (Status s = queueMessageChanged(db, out.outbox, tenantId, ticket, stored.value(), true); !s.ok())
                return s.error();
            out.value = true;
            return out;
        });
    co_await db::Finished(f);
    Result<Committed<bool>> r = f.result();
    if (!self)
        co_return Status();
    if (!r.ok())
        co_return r.error();
    publishOutbox(m_hub, r->outbox);
    co_return Status();
}

} // namespace atende::server::desk
