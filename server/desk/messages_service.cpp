// MessagesService: conversation pages, sending and notes.

#include "server/accounts/accounts_validation.h"
#include "server/api/permissions.h"
#include "server/desk/message_repository.h"
#include "server/desk/messages_service_impl.h"
#include "server/desk/ticket_router.h"
#include "server/jobs/job_queue.h"

#include <QJsonObject>

namespace atende::server::desk {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using atende::server::accounts::invalidField;
namespace errc = atende::core::errc;

namespace {

constexpr qsizetype kMaxBody = 65536;
constexpr qsizetype kMaxClientRequestId = 128;
constexpr qsizetype kMaxMentions = 20;

Status checkBody(const QString &body)
{
    if (body.trimmed().isEmpty())
        return invalidField(QStringLiteral("body"), QStringLiteral("required"),
                            QStringLiteral("body must not be empty"));
    if (body.size() > kMaxBody)
        return invalidField(QStringLiteral("body"), QStringLiteral("too_long"), QStringLiteral("body is too long"));
    return {};
}

} // namespace

Result<TicketRef> visibleTicket(QSqlDatabase &db, const api::CallContext &ctx, const QUuid &tenantId,
                                const QUuid &ticketId, bool forUpdate)
{
    Result<TicketRef> t = MessageRepository::ticket(db, tenantId, ticketId, forUpdate);
    if (!t.ok())
        return t.error();
    Result<TicketScope> scope = ticketScopeOf(db, ctx);
    if (!scope.ok())
        return scope.error();
    if (!scope->allows(t->sectorId, t->assigneeId))
        return Error::make(errc::kNotFound, QStringLiteral("no such ticket"));
    return t;
}

Status maySendOn(const api::CallContext &ctx, const TicketRef &t)
{
    const bool supervisor = ctx.isApiToken() || ctx.can(api::perm::kTicketsSupervise);
    if (!supervisor && t.assigneeId != userOf(ctx))
        return Error::make(errc::kPermissionDenied, QStringLiteral("only the ticket's assignee can send on it"),
                           QJsonObject{{QStringLiteral("reason"), QStringLiteral("not_assignee")}});
    if (t.state == QLatin1String("in_service") || t.state == QLatin1String("on_hold"))
        return {};
    return deskConflict(QStringLiteral("ticketId"), QStringLiteral("ticket_") + t.state,
                        QStringLiteral("the ticket is %1; accept or reopen it before sending").arg(t.state));
}

Status enqueueSend(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId, const QString &key)
{
    jobs::EnqueueOptions options;
    options.idempotencyKey = key;
    const QJsonObject payload{{QStringLiteral("message_id"), messageId.toString(QUuid::WithoutBraces)}};
    Result<QUuid> job = jobs::JobQueue::enqueue(db, tenantId, QStringLiteral("message.send"), payload, options);
    if (!job.ok())
        return job.error();
    return {};
}

MessagesService::MessagesService(db::DbExecutor &db, api::EventHub *hub, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
{}

QCoro::Task<Result<MessagePage>> MessagesService::list(api::CallContext ctx, QUuid ticketId, MessagePageRequest request)
{
    const QUuid tenantId = tenantOf(ctx);
    auto rTask =
        query<MessagePage>(tenantId, [ctx, tenantId, ticketId, request](QSqlDatabase &db) -> Result<MessagePage> {
            if (Result<TicketRef> t = visibleTicket(db, ctx, tenantId, ticketId, false); !t.ok())
                return t.error();
            return MessageRepository::page(db, tenantId, ticketId, request);
        });
    Result<MessagePage> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<MessageRecord>> MessagesService::send(api::CallContext ctx, SendRequest request)
{
    if (Status s = checkBody(request.body); !s.ok())
        co_return s.error();
    if (request.clientRequestId.size() > kMaxClientRequestId)
        co_return invalidField(QStringLiteral("clientRequestId"), QStringLiteral("too_long"),
                               QStringLiteral("clientRequestId is too long"));
    const QUuid tenantId = tenantOf(ctx);
    const QUuid me = userOf(ctx);
    auto rTask = commit<MessageRecord>(
        tenantId, [ctx, tenantId, me, request](QSqlDatabase &db) -> Result<Committed<MessageRecord>> {
            // Locked: concurrent sends on one ticket decide the cycle's first response one at a time.
            Result<TicketRef> t = visibleTicket(db, ctx, tenantId, request.ticketId, true);
            if (!t.ok())
                return t.error();
            if (!request.clientRequestId.isEmpty()) {
                Result<std::optional<MessageRecord>> earlier =
                    MessageRepository::findByClientRequest(db, tenantId, me, request.clientRequestId);
                if (!earlier.ok())
                    return earlier.error();
                if (earlier->has_value()) {
                    if (earlier->value().ticketId != t->id)
                        return deskConflict(QStringLiteral("clientRequestId"), QStringLiteral("client_request_reused"),
                                            QStringLiteral("this clientRequestId was used for another ticket"));
                    return Committed<MessageRecord>{earlier->value(), {}};
                }
            }
            if (Status s = maySendOn(ctx, t.value()); !s.ok())
                return s.error();
            MessageRecord m;
            m.ticketId = t->id;
            m.cycle = t->cycle;
            m.contactId = t->contactId;
            m.connectionId = t->connectionId;
            m.kind = QStringLiteral("outbound");
            m.authorUserId = me;
            m.body = request.body;
            m.status = QStringLiteral("pending");
            m.clientRequestId = request.clientRequestId;
            if (!request.quotedId.isNull()) {
                Result<MessageRecord> quoted = MessageRepository::find(db, tenantId, request.quotedId);
                if (!quoted.ok() || quoted->contactId != t->contactId || quoted->connectionId != t->connectionId)
                    return invalidField(QStringLiteral("quotedId"), QStringLiteral("not_in_conversation"),
                                        QStringLiteral("the quoted message is not part of this conversation"));
                m.quoted.id = quoted->id;
            }
            Result<std::optional<QUuid>> id = MessageRepository::insert(db, tenantId, m);
            if (!id.ok())
                return id.error();
            if (!id->has_value())
                return deskConflict(QStringLiteral("clientRequestId"), QStringLiteral("client_request_reused"),
                                    QStringLiteral("this clientRequestId is already in use"));
            Result<MessageRecord> stored = MessageRepository::find(db, tenantId, id->value());
            if (!stored.ok())
                return stored.error();
            if (Status s = touchTicketForMessage(db, tenantId, t->id, stored->createdAt, stored->body, false); !s.ok())
                return s.error();
            // TTFR: the first human, public, non-automatic outbound message of the cycle (PRODUCT.md).
            Result<bool> answered = MessageRepository::hasFirstResponse(db, tenantId, t.value());
            if (!answered.ok())
                return answered.error();
            if (!answered.value())
                if (Status s = MessageRepository::appendFirstResponse(db, tenantId, t.value(), stored.value()); !s.ok())
                    return s.error();
            Committed<MessageRecord> out{stored.value(), {}};
            if (Status s = queueMessageChanged(db, out.outbox, tenantId, t.value(), out.value, true); !s.ok())
                return s.error();
            if (Status s = enqueueSend(db, tenantId, out.value.id, out.value.id.toString(QUuid::WithoutBraces));
                !s.ok())
                return s.error();
            return out;
        });
    Result<MessageRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<MessageRecord>> MessagesService::note(api::CallContext ctx, NoteRequest request)
{
    if (Status s = checkBody(request.body); !s.ok())
        co_return s.error();
    QList<QUuid> mentions;
    for (const QUuid &u : std::as_const(request.mentions))
        if (!mentions.contains(u))
            mentions.append(u);
    if (mentions.size() > kMaxMentions)
        co_return invalidField(QStringLiteral("mentionUserIds"), QStringLiteral("too_many"),
                               QStringLiteral("at most %1 mentions").arg(kMaxMentions));
    const QUuid tenantId = tenantOf(ctx);
    const QUuid me = userOf(ctx);
    auto rTask = commit<MessageRecord>(
        tenantId, [ctx, tenantId, me, request, mentions](QSqlDatabase &db) -> Result<Committed<MessageRecord>> {
            Result<TicketRef> t = visibleTicket(db, ctx, tenantId, request.ticketId, false);
            if (!t.ok())
                return t.error();
            Result<QList<QUuid>> known = MessageRepository::existingUsers(db, tenantId, mentions);
            if (!known.ok())
                return known.error();
            if (known->size() != mentions.size())
                return invalidField(QStringLiteral("mentionUserIds"), QStringLiteral("unknown_user"),
                                    QStringLiteral("a mentioned user does not exist"));
            MessageRecord m;
            m.ticketId = t->id;
            m.cycle = t->cycle;
            m.contactId = t->contactId;
            m.connectionId = t->connectionId;
            m.kind = QStringLiteral("note");
            m.authorUserId = me;
            m.body = request.body;
            m.status = QStringLiteral("none");
            m.mentions = mentions;
            Result<std::optional<QUuid>> id = MessageRepository::insert(db, tenantId, m);
            if (!id.ok())
                return id.error();
            if (!id->has_value())
                return Error::make(errc::kInternal, QStringLiteral("note insert did nothing"));
            Result<MessageRecord> stored = MessageRepository::find(db, tenantId, id->value());
            if (!stored.ok())
                return stored.error();
            Committed<MessageRecord> out{stored.value(), {}};
            if (Status s = queueMessageChanged(db, out.outbox, tenantId, t.value(), out.value, true); !s.ok())
                return s.error();
            for (const QUuid &user : mentions)
                if (user != me)
                    if (Status s = queueMentionAlert(db, out.outbox, tenantId, user, out.value); !s.ok())
                        return s.error();
            return out;
        });
    Result<MessageRecord> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
