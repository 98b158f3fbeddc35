#pragma once
// Private to the messages_service*.cpp files: the transaction helpers of MessagesService (the shape of
// ContactsService's) and the checks every message operation shares.
//
// GCC 12 workarounds (server/accounts/accounts_service_impl.h): a coroutine is never called inside a
// co_await expression with by-value arguments, and QFutures are awaited with db::Finished.

#include "server/accounts/change_log.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/desk/message_events.h"
#include "server/desk/messages_service.h"
#include "server/desk/ticket_scope.h"

#include <QPointer>

namespace atende::server::desk {

using atende::server::accounts::Committed;
using atende::server::accounts::Outbox;

atende::core::Error deskShuttingDown();
atende::core::Error deskReported(const atende::core::Error &error, const char *what);
atende::core::Error deskConflict(const QString &field, const QString &reason, const QString &message);

// The ticket if the caller sees it (TicketScope), else not_found — the same answer as for another tenant's
// ticket, so visibility cannot be probed.
atende::core::Result<TicketRef> visibleTicket(QSqlDatabase &db, const api::CallContext &ctx, const QUuid &tenantId,
                                              const QUuid &ticketId, bool forUpdate);
// Sending on a ticket: its assignee, or a supervisor / API token; the ticket in service or on hold.
atende::core::Status maySendOn(const api::CallContext &ctx, const TicketRef &ticket);
// Queues the message.send job of an outbound message (idempotency key `key`, empty: none).
atende::core::Status enqueueSend(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId, const QString &key);

inline QUuid tenantOf(const api::CallContext &ctx)
{
    return QUuid::fromString(ctx.tenantId);
}
inline QUuid userOf(const api::CallContext &ctx)
{
    return QUuid::fromString(ctx.userId);
}

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> MessagesService::commit(QUuid tenantId, F f)
{
    QPointer<MessagesService> self(this);
    QFuture<atende::core::Result<Committed<T>>> future = m_db.runTenant(tenantId, std::move(f));
    db::Finished<atende::core::Result<Committed<T>>> done(future);
    co_await done;
    atende::core::Result<Committed<T>> r = future.result();
    if (!self)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "message write");
    publishOutbox(m_hub, r->outbox);
    T value = r->value;
    co_return value;
}

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> MessagesService::query(QUuid tenantId, F f)
{
    QPointer<MessagesService> self(this);
    QFuture<atende::core::Result<T>> future = m_db.runTenant(tenantId, std::move(f));
    db::Finished<atende::core::Result<T>> done(future);
    co_await done;
    atende::core::Result<T> r = future.result();
    if (!self)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "message read");
    co_return r;
}

} // namespace atende::server::desk
