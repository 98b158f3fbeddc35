// TicketsService: an agent's own work on a ticket — accept, accept the next one, hold, resume, close, reopen.

#include "server/accounts/sql_values.h"
#include "server/api/permissions.h"
#include "server/db/sql_util.h"
#include "server/desk/ticket_router.h"
#include "server/desk/tickets_service_impl.h"
#include "server/jobs/job_queue.h"

#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

const QStringList kOpenStates{QStringLiteral("bot"), QStringLiteral("waiting"), QStringLiteral("in_service"),
                              QStringLiteral("on_hold")};

TicketEventRecord stateEvent(const TicketRecord &before, const TicketRecord &after, const QString &kind,
                             const QUuid &actor, const QString &reason)
{
    TicketEventRecord e = ticketEvent(after, kind, actor);
    e.fromState = before.state;
    e.toState = after.state;
    e.fromSectorId = before.sectorId;
    e.toSectorId = after.sectorId;
    e.fromUserId = before.assigneeId;
    e.toUserId = after.assigneeId;
    e.reason = reason;
    return e;
}

// The conditional UPDATE of an accept: only a waiting ticket the caller can see. Of two concurrent accepts
// the second waits for the first's row lock, then finds the state changed and matches nothing.
TicketMutation acceptMutation(const Actor &actor)
{
    return [actor](QSqlDatabase &db, const TicketRecord &before, const TicketScope &scope) -> Result<TicketChange> {
        QVariantList binds;
        const QString condition =
            QStringLiteral("t.state = 'waiting' AND ") + scope.sqlCondition(QStringLiteral("t"), binds);
        Result<std::optional<TicketRecord>> after = TicketRepository::update(
            db, actor.tenantId, before.id,
            QStringLiteral("state = 'in_service', assignee_id = ?::uuid, accepted_at = coalesce(t.accepted_at, v.ts), "
                           "last_activity_at = v.ts"),
            {sql::text(actor.userId)}, condition, binds);
        if (!after.ok())
            return after.error();
        if (!after.value()) {
            Result<TicketRecord> now = TicketRepository::find(db, actor.tenantId, before.id);
            if (!now.ok())
                return now.error();
            return transitionRefused(now.value(), QStringLiteral("tickets.accept"));
        }
        return TicketChange{*after.value(),
                            {stateEvent(before, *after.value(), QStringLiteral("accepted"), actor.userId, QString())}};
    };
}

// A plain state change (hold, resume): UPDATE ... WHERE state = from.
TicketStep simpleStep(const QString &action, const QString &from, const QString &to, const QString &kind,
                      const Actor &actor, const QString &reason)
{
    TicketStep step;
    step.action = action;
    step.from = {from};
    step.mutate = [=](QSqlDatabase &db, const TicketRecord &before, const TicketScope &) -> Result<TicketChange> {
        Result<std::optional<TicketRecord>> after = TicketRepository::update(
            db, actor.tenantId, before.id, QStringLiteral("state = ?, last_activity_at = v.ts"), {to},
            QStringLiteral("t.state = ?"), {from});
        if (!after.ok())
            return after.error();
        if (!after.value())
            return transitionRefused(before, action);
        return TicketChange{*after.value(), {stateEvent(before, *after.value(), kind, actor.userId, reason)}};
    };
    return step;
}

// The closing message: an outbound message of the cycle, sent by the message.send job (same transaction).
Result<QUuid> queueClosingMessage(QSqlDatabase &db, const Actor &actor, const TicketRecord &ticket, const QString &body)
{
    Result<std::pair<QUuid, QDateTime>> m =
        insertTicketMessage(db, actor.tenantId, ticket, QStringLiteral("outbound"), actor.userId, body);
    if (!m.ok())
        return m.error();
    const QString id = sql::text(m->first);
    jobs::EnqueueOptions options;
    options.idempotencyKey = id;
    Result<QUuid> job = jobs::JobQueue::enqueue(db, actor.tenantId, QStringLiteral("message.send"),
                                                QJsonObject{{QStringLiteral("message_id"), id}}, options);
    if (!job.ok())
        return job.error();
    if (Status s = touchTicketForMessage(db, actor.tenantId, ticket.id, m->second, body, false); !s.ok())
        return s.error();
    return m->first;
}

} // namespace

QCoro::Task<Result<TicketRecord>> TicketsService::accept(api::CallContext ctx, QUuid ticketId)
{
    const Actor actor = ticketActorOf(ctx);
    TicketStep step;
    step.action = QStringLiteral("tickets.accept");
    step.from = {QStringLiteral("waiting")};
    step.access = TicketAccess::Visible;
    step.lock = false;
    step.mutate = acceptMutation(actor);
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketRecord>> TicketsService::acceptNext(api::CallContext ctx, QUuid sectorId)
{
    const Actor actor = ticketActorOf(ctx);
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, actor, sectorId](QSqlDatabase &db) -> Result<Committed<TicketRecord>> {
            Result<TicketScope> scope = ticketScopeOf(db, ctx);
            if (!scope.ok())
                return scope.error();
            // The oldest wait first; a ticket another agent is taking right now is skipped, not waited for.
            QVariantList binds{sql::text(actor.tenantId)};
            QString where;
            if (!sectorId.isNull()) {
                where = QStringLiteral(" AND t.sector_id = ?::uuid");
                binds.append(sql::text(sectorId));
            }
            where += QStringLiteral(" AND ") + scope->sqlCondition(QStringLiteral("t"), binds);
            db::Query q(
                db, QStringLiteral("SELECT t.id FROM tickets t WHERE t.tenant_id = ?::uuid AND t.state = 'waiting'") +
                        where +
                        QStringLiteral(" ORDER BY t.queued_at NULLS LAST, t.id LIMIT 1 FOR UPDATE SKIP LOCKED"));
            for (const QVariant &b : binds)
                q.addBindValue(b);
            if (Status s = db::exec(q); !s.ok())
                return s.error();
            if (!q.next())
                return Error::make(errc::kNotFound, QStringLiteral("no ticket is waiting"),
                                   QJsonObject{{QStringLiteral("reason"), QStringLiteral("queue_empty")}});
            TicketStep step;
            step.action = QStringLiteral("tickets.accept_next");
            step.from = {QStringLiteral("waiting")};
            step.access = TicketAccess::Visible;
            step.lock = false; // already locked above
            step.mutate = acceptMutation(actor);
            return changeTicket(db, ctx, QUuid::fromString(q.value(0).toString()), step);
        });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketRecord>> TicketsService::hold(api::CallContext ctx, QUuid ticketId, QString reason)
{
    const Actor actor = ticketActorOf(ctx);
    const TicketStep step = simpleStep(QStringLiteral("tickets.hold"), QStringLiteral("in_service"),
                                       QStringLiteral("on_hold"), QStringLiteral("held"), actor, reason);
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketRecord>> TicketsService::resume(api::CallContext ctx, QUuid ticketId)
{
    const Actor actor = ticketActorOf(ctx);
    const TicketStep step = simpleStep(QStringLiteral("tickets.resume"), QStringLiteral("on_hold"),
                                       QStringLiteral("in_service"), QStringLiteral("resumed"), actor, QString());
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketRecord>> TicketsService::close(api::CallContext ctx, QUuid ticketId, QString reason,
                                                        QString closingMessage)
{
    const Actor actor = ticketActorOf(ctx);
    TicketStep step;
    step.action = QStringLiteral("tickets.close");
    step.from = kOpenStates;
    step.mutate = [actor, reason, closingMessage](QSqlDatabase &db, const TicketRecord &before,
                                                  const TicketScope &) -> Result<TicketChange> {
        QUuid messageId;
        if (!closingMessage.isEmpty()) {
            Result<QUuid> m = queueClosingMessage(db, actor, before, closingMessage);
            if (!m.ok())
                return m.error();
            messageId = m.value();
        }
        Result<std::optional<TicketRecord>> after =
            TicketRepository::update(db, actor.tenantId, before.id,
                                     QStringLiteral("state = 'closed', closed_at = v.ts, last_activity_at = v.ts"), {},
                                     QStringLiteral("t.state <> 'closed'"));
        if (!after.ok())
            return after.error();
        if (!after.value())
            return transitionRefused(before, QStringLiteral("tickets.close"));
        TicketEventRecord e = stateEvent(before, *after.value(), QStringLiteral("closed"), actor.userId, reason);
        if (!messageId.isNull())
            e.data.insert(QStringLiteral("message_id"), sql::text(messageId));
        return TicketChange{*after.value(), {e}};
    };
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketRecord>> TicketsService::reopen(api::CallContext ctx, QUuid ticketId, QString reason)
{
    const Actor actor = ticketActorOf(ctx);
    TicketStep step;
    step.action = QStringLiteral("tickets.reopen");
    step.from = {QStringLiteral("closed")};
    step.mutate = [actor, reason](QSqlDatabase &db, const TicketRecord &before,
                                  const TicketScope &) -> Result<TicketChange> {
        Result<std::optional<TicketRecord>> active =
            TicketRepository::findActive(db, actor.tenantId, before.contactId, before.connectionId, false);
        if (!active.ok())
            return active.error();
        if (active.value())
            return ticketConflict(QStringLiteral("active_ticket_exists"),
                                  QStringLiteral("the contact has another open ticket on this connection"),
                                  QJsonObject{{QStringLiteral("ticketId"), sql::text(active.value()->id)}});
        Result<std::optional<TicketRecord>> after = TicketRepository::update(
            db, actor.tenantId, before.id,
            QStringLiteral("state = 'waiting', cycle = t.cycle + 1, cycle_started_at = v.ts, queued_at = v.ts, "
                           "accepted_at = NULL, closed_at = NULL, assignee_id = NULL, last_activity_at = v.ts"),
            {}, QStringLiteral("t.state = 'closed'"));
        if (!after.ok())
            return after.error();
        if (!after.value())
            return transitionRefused(before, QStringLiteral("tickets.reopen"));
        TicketEventRecord e = stateEvent(before, *after.value(), QStringLiteral("reopened"), actor.userId, reason);
        e.data.insert(QStringLiteral("previous_cycle"), before.cycle);
        TicketEventRecord queued = ticketEvent(*after.value(), QStringLiteral("queued"), actor.userId);
        queued.toState = after.value()->state;
        queued.toSectorId = after.value()->sectorId;
        return TicketChange{*after.value(), {e, queued}};
    };
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
