// MessagesService: retry, read marks, typing targets, search and contact history.

#include "server/accounts/accounts_validation.h"
#include "server/api/permissions.h"
#include "server/desk/connection_repository.h"
#include "server/desk/connector_peer.h"
#include "server/desk/contact_repository.h"
#include "server/desk/message_repository.h"
#include "server/desk/message_status.h"
#include "server/desk/messages_service_impl.h"
#include "server/desk/ticket_proto.h"
#include "server/desk/ticket_repository.h"
#include "server/jobs/job_queue.h"

#include <QJsonObject>

namespace atende::server::desk {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using atende::server::accounts::invalidField;
namespace errc = atende::core::errc;

QCoro::Task<Result<MessageRecord>> MessagesService::retry(api::CallContext ctx, QUuid messageId)
{
    const QUuid tenantId = tenantOf(ctx);
    auto rTask = commit<MessageRecord>(
        tenantId, [ctx, tenantId, messageId](QSqlDatabase &db) -> Result<Committed<MessageRecord>> {
            Result<MessageRecord> m = MessageRepository::find(db, tenantId, messageId);
            if (!m.ok())
                return m.error();
            Result<TicketRef> t = visibleTicket(db, ctx, tenantId, m->ticketId, true);
            if (!t.ok())
                return Error::make(errc::kNotFound, QStringLiteral("no such message"));
            if (Status s = maySendOn(ctx, t.value()); !s.ok())
                return s.error();
            MaybeMessage reset = resetMessageForRetry(db, tenantId, messageId);
            if (!reset.ok())
                return reset.error();
            if (!reset->has_value())
                return deskConflict(QStringLiteral("messageId"), QStringLiteral("not_failed"),
                                    QStringLiteral("only a failed outbound message can be retried"));
            Committed<MessageRecord> out{reset->value(), {}};
            if (Status s = queueMessageChanged(db, out.outbox, tenantId, t.value(), out.value, false); !s.ok())
                return s.error();
            // No idempotency key: the first send job of the message is dead by now, and failed -> pending
            // above already lets only one retry through.
            if (Status s = enqueueSend(db, tenantId, messageId, QString()); !s.ok())
                return s.error();
            return out;
        });
    Result<MessageRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<bool>> MessagesService::markRead(api::CallContext ctx, QUuid ticketId)
{
    const QUuid tenantId = tenantOf(ctx);
    auto rTask = commit<bool>(tenantId, [ctx, tenantId, ticketId](QSqlDatabase &db) -> Result<Committed<bool>> {
        Committed<bool> out{false, {}};
        Result<TicketRef> t = visibleTicket(db, ctx, tenantId, ticketId, false);
        if (!t.ok())
            return t.error();
        Result<bool> cleared = MessageRepository::clearUnread(db, tenantId, ticketId);
        if (!cleared.ok())
            return cleared.error();
        if (cleared.value()) {
            // Every open list shows the unread badge: they learn that it went to zero.
            Result<TicketRecord> ticket = TicketRepository::find(db, tenantId, ticketId, false);
            if (!ticket.ok())
                return ticket.error();
            if (Status s = queueTicketChanged(db, tenantId, out.outbox, ticket.value(), QStringLiteral("read"),
                                              ticket->sectorId, ticket->assigneeId);
                !s.ok())
                return s.error();
        }
        // Blue ticks only from whoever works the ticket: a colleague glancing at the queue is not "read".
        const bool works = ctx.isApiToken() || ctx.can(api::perm::kTicketsSupervise) || t->assigneeId == userOf(ctx);
        if (!works || t->state == QLatin1String("closed"))
            return out;
        Result<ConnectionRecord> connection = ConnectionRepository::find(db, tenantId, t->connectionId);
        if (!connection.ok() || !connection->sendReadReceipts)
            return out;
        Result<std::optional<MessageRecord>> last = MessageRepository::lastInbound(db, tenantId, ticketId);
        if (!last.ok())
            return last.error();
        if (!last->has_value())
            return out;
        // Keyed by the message: reading the same last message again queues nothing new.
        const QString id = last->value().id.toString(QUuid::WithoutBraces);
        jobs::EnqueueOptions options;
        options.idempotencyKey = QStringLiteral("read:") + id;
        options.maxAttempts = 3;
        Result<QUuid> job = jobs::JobQueue::enqueue(db, tenantId, QStringLiteral("message.read"),
                                                    QJsonObject{{QStringLiteral("message_id"), id}}, options);
        if (!job.ok())
            return job.error();
        out.value = true;
        return out;
    });
    Result<bool> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TypingTarget>> MessagesService::typingTarget(api::CallContext ctx, QUuid ticketId)
{
    const QUuid tenantId = tenantOf(ctx);
    auto rTask = query<TypingTarget>(tenantId, [ctx, tenantId, ticketId](QSqlDatabase &db) -> Result<TypingTarget> {
        Result<TicketRef> t = visibleTicket(db, ctx, tenantId, ticketId, false);
        if (!t.ok())
            return t.error();
        if (Status s = maySendOn(ctx, t.value()); !s.ok())
            return s.error();
        Result<ConnectionRecord> connection = ConnectionRepository::find(db, tenantId, t->connectionId);
        if (!connection.ok())
            return connection.error();
        Result<ConnectorPeer> peer = connectorPeer(db, tenantId, t->connectionId, t->contactId);
        if (!peer.ok())
            return peer.error();
        return TypingTarget{connection->kind, peer.value()};
    });
    Result<TypingTarget> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<QList<SearchHitRecord>>> MessagesService::search(api::CallContext ctx, SearchQuery q)
{
    const QUuid tenantId = tenantOf(ctx);
    auto rTask =
        query<QList<SearchHitRecord>>(tenantId, [ctx, tenantId, q](QSqlDatabase &db) -> Result<QList<SearchHitRecord>> {
            Result<TicketScope> scope = ticketScopeOf(db, ctx);
            if (!scope.ok())
                return scope.error();
            Result<QList<SearchHitRecord>> hits = SearchRepository::messages(db, tenantId, scope.value(), q);
            if (!hits.ok() || !q.contacts)
                return hits;
            Result<QList<SearchHitRecord>> contacts = SearchRepository::contacts(db, tenantId, q);
            if (!contacts.ok())
                return contacts.error();
            // Contacts first (what a name search is usually after), then messages by rank.
            QList<SearchHitRecord> all = contacts.value() + hits.value();
            if (all.size() > q.limit)
                all.resize(q.limit);
            return all;
        });
    Result<QList<SearchHitRecord>> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<HistoryPage>> MessagesService::history(api::CallContext ctx, QUuid contactId,
                                                          std::optional<MessageCursor> before, int limit)
{
    const QUuid tenantId = tenantOf(ctx);
    auto rTask = query<HistoryPage>(
        tenantId, [ctx, tenantId, contactId, before, limit](QSqlDatabase &db) -> Result<HistoryPage> {
            // A merged contact's history is the surviving contact's.
            Result<QUuid> alive = ContactRepository::resolve(db, tenantId, contactId);
            if (!alive.ok())
                return alive.error();
            Result<TicketScope> scope = ticketScopeOf(db, ctx);
            if (!scope.ok())
                return scope.error();
            return SearchRepository::history(db, tenantId, scope.value(), alive.value(), before, limit);
        });
    Result<HistoryPage> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
