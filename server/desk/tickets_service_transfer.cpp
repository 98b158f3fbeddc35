// TicketsService: moving tickets between sectors and people (transfer, assign), tags, and tickets an agent
// starts (create).

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/tickets_service_impl.h"

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
const QStringList kAllStates = kOpenStates + QStringList{QStringLiteral("closed")};

QVariant uuidOrNull(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(sql::text(id));
}

// Moves `before` to `sectorId` (null: stays) and `userId` (null: back to the queue, waiting without an
// assignee; else in_service with that user). queued_at is kept (the wait of the cycle started earlier) unless
// the ticket never waited; accepted_at keeps the cycle's first acceptance.
Result<TicketChange> moveTicket(QSqlDatabase &db, const Actor &actor, const TicketRecord &before, const QString &kind,
                                const QUuid &sectorId, const QUuid &userId, const QString &reason)
{
    if (!sectorId.isNull())
        if (Status s = checkSectorExists(db, actor.tenantId, sectorId); !s.ok())
            return s.error();
    if (!userId.isNull())
        if (Status s = checkAssignableUser(db, actor.tenantId, userId); !s.ok())
            return s.error();
    const QUuid toSector = sectorId.isNull() ? before.sectorId : sectorId;
    const bool same = userId.isNull() ? (toSector == before.sectorId && before.state == QLatin1String("waiting"))
                                      : (toSector == before.sectorId && userId == before.assigneeId &&
                                         before.state == QLatin1String("in_service"));
    if (same)
        return ticketConflict(QStringLiteral("no_change"), QStringLiteral("the ticket is already there"));
    const QString set = userId.isNull()
                            ? QStringLiteral("state = 'waiting', sector_id = ?::uuid, assignee_id = ?::uuid, "
                                             "queued_at = coalesce(t.queued_at, v.ts), last_activity_at = v.ts")
                            : QStringLiteral("state = 'in_service', sector_id = ?::uuid, assignee_id = ?::uuid, "
                                             "accepted_at = coalesce(t.accepted_at, v.ts), last_activity_at = v.ts");
    Result<std::optional<TicketRecord>> after =
        TicketRepository::update(db, actor.tenantId, before.id, set, {uuidOrNull(toSector), uuidOrNull(userId)},
                                 QStringLiteral("t.state <> 'closed'"));
    if (!after.ok())
        return after.error();
    if (!after.value())
        return transitionRefused(before, kind);
    TicketEventRecord e = ticketEvent(*after.value(), kind, actor.userId);
    e.fromState = before.state;
    e.toState = after.value()->state;
    e.fromSectorId = before.sectorId;
    e.toSectorId = after.value()->sectorId;
    e.fromUserId = before.assigneeId;
    e.toUserId = after.value()->assigneeId;
    e.reason = reason;
    return TicketChange{*after.value(), {e}, true};
}

} // namespace

QCoro::Task<Result<TicketRecord>> TicketsService::transfer(api::CallContext ctx, QUuid ticketId,
                                                           TicketTransfer transfer)
{
    const Actor actor = ticketActorOf(ctx);
    TicketStep step;
    step.action = QStringLiteral("tickets.transfer");
    step.from = kOpenStates;
    step.mutate = [actor, transfer](QSqlDatabase &db, const TicketRecord &before,
                                    const TicketScope &) -> Result<TicketChange> {
        Result<TicketChange> change = moveTicket(db, actor, before, QStringLiteral("transferred"), transfer.sectorId,
                                                 transfer.userId, transfer.reason);
        if (!change.ok() || transfer.note.isEmpty())
            return change;
        // The note travels with the ticket so the receiver has the context (PRODUCT.md N11).
        Result<std::pair<QUuid, QDateTime>> note =
            insertTicketMessage(db, actor.tenantId, change->after, QStringLiteral("note"), actor.userId, transfer.note);
        if (!note.ok())
            return note.error();
        change->events.first().data.insert(QStringLiteral("note_id"), sql::text(note->first));
        return change;
    };
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketRecord>> TicketsService::assign(api::CallContext ctx, QUuid ticketId, QUuid userId,
                                                         QString reason)
{
    const Actor actor = ticketActorOf(ctx);
    TicketStep step;
    step.action = QStringLiteral("tickets.assign");
    step.from = kOpenStates;
    step.mutate = [actor, userId, reason](QSqlDatabase &db, const TicketRecord &before,
                                          const TicketScope &) -> Result<TicketChange> {
        return moveTicket(db, actor, before, QStringLiteral("assigned"), QUuid(), userId, reason);
    };
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketRecord>> TicketsService::tag(api::CallContext ctx, QUuid ticketId, QString tag, bool add)
{
    const Actor actor = ticketActorOf(ctx);
    TicketStep step;
    step.action = add ? QStringLiteral("tickets.tag") : QStringLiteral("tickets.untag");
    step.from = kAllStates;
    step.mutate = [actor, tag, add](QSqlDatabase &db, const TicketRecord &before,
                                    const TicketScope &) -> Result<TicketChange> {
        // Idempotent: a present tag added again, or an absent one removed, changes nothing.
        if (before.tags.contains(tag) == add)
            return TicketChange{before, {}};
        if (add && before.tags.size() >= kMaxTicketTags)
            return Error::make(errc::kInvalidArgument,
                               QStringLiteral("a ticket may have at most %1 tags").arg(kMaxTicketTags),
                               QJsonObject{{QStringLiteral("field"), QStringLiteral("tag")},
                                           {QStringLiteral("reason"), QStringLiteral("too_many")}});
        Result<std::optional<TicketRecord>> after =
            TicketRepository::update(db, actor.tenantId, before.id,
                                     add ? QStringLiteral("tags = array_append(t.tags, ?::text)")
                                         : QStringLiteral("tags = array_remove(t.tags, ?::text)"),
                                     {tag});
        if (!after.ok())
            return after.error();
        if (!after.value())
            return noSuchTicket();
        TicketEventRecord e =
            ticketEvent(*after.value(), add ? QStringLiteral("tagged") : QStringLiteral("untagged"), actor.userId);
        e.data.insert(QStringLiteral("tag"), tag);
        return TicketChange{*after.value(), {e}};
    };
    auto rTask = commit<TicketRecord>(
        actor.tenantId, [ctx, ticketId, step](QSqlDatabase &db) { return changeTicket(db, ctx, ticketId, step); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

namespace {

// The contact exists and was not merged into another one; the connection exists and is not deleted.
Status checkConversationTarget(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                               const QUuid &connectionId)
{
    db::Query q(
        db, QStringLiteral("SELECT merged_into IS NOT NULL FROM contacts WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contactId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (!q.next())
        return Error::make(errc::kNotFound, QStringLiteral("no such contact"),
                           QJsonObject{{QStringLiteral("field"), QStringLiteral("contactId")}});
    if (q.value(0).toBool())
        return ticketConflict(QStringLiteral("contact_merged"),
                              QStringLiteral("the contact was merged into another one"),
                              QJsonObject{{QStringLiteral("field"), QStringLiteral("contactId")}});
    db::Query c(db, QStringLiteral("SELECT 1 FROM connections WHERE tenant_id = ?::uuid AND id = ?::uuid "
                                   "AND deleted_at IS NULL"));
    c.addBindValue(sql::text(tenantId));
    c.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(c); !s.ok())
        return s;
    if (!c.next())
        return Error::make(errc::kNotFound, QStringLiteral("no such connection"),
                           QJsonObject{{QStringLiteral("field"), QStringLiteral("connectionId")}});
    return {};
}

} // namespace

QCoro::Task<Result<TicketRecord>> TicketsService::create(api::CallContext ctx, QUuid contactId, QUuid connectionId,
                                                         QUuid sectorId)
{
    const Actor actor = ticketActorOf(ctx);
    auto rTask = commit<TicketRecord>(
        actor.tenantId,
        [actor, contactId, connectionId, sectorId](QSqlDatabase &db) -> Result<Committed<TicketRecord>> {
            if (Status s = checkConversationTarget(db, actor.tenantId, contactId, connectionId); !s.ok())
                return s.error();
            if (!sectorId.isNull())
                if (Status s = checkSectorExists(db, actor.tenantId, sectorId); !s.ok())
                    return s.error();
            TicketRecord fresh;
            fresh.contactId = contactId;
            fresh.connectionId = connectionId;
            fresh.sectorId = sectorId;
            fresh.assigneeId = actor.userId;
            fresh.state = QStringLiteral("in_service");
            fresh.agentInitiated = true;
            Result<std::optional<TicketRecord>> inserted = TicketRepository::insert(db, actor.tenantId, fresh);
            if (!inserted.ok())
                return inserted.error();
            if (!inserted.value()) {
                Result<std::optional<TicketRecord>> active =
                    TicketRepository::findActive(db, actor.tenantId, contactId, connectionId, false);
                if (!active.ok())
                    return active.error();
                const QString id = active.value() ? sql::text(active.value()->id) : QString();
                return ticketConflict(
                    QStringLiteral("active_ticket_exists"),
                    QStringLiteral("the contact already has an open ticket on this connection: %1").arg(id),
                    QJsonObject{{QStringLiteral("ticketId"), id}});
            }
            const TicketRecord &t = *inserted.value();
            TicketEventRecord e = ticketEvent(t, QStringLiteral("created"), actor.userId);
            e.toState = t.state;
            e.toSectorId = t.sectorId;
            e.toUserId = t.assigneeId;
            e.data.insert(QStringLiteral("agent_initiated"), true);
            Committed<TicketRecord> out{t, {}};
            if (Status s = recordTicketChange(db, actor, QStringLiteral("tickets.create"), std::nullopt,
                                              TicketChange{t, {e}}, out.outbox);
                !s.ok())
                return s.error();
            return out;
        });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
