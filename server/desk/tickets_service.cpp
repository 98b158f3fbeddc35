// TicketsService: construction, the shared change path (changeTicket) and the reads.

#include "server/accounts/sql_values.h"
#include "server/api/event_hub.h"
#include "server/api/permissions.h"
#include "server/db/sql_util.h"
#include "server/desk/ticket_scope.h"
#include "server/desk/tickets_service_impl.h"

#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

Actor ticketActorOf(const api::CallContext &ctx)
{
    Actor a;
    a.tenantId = QUuid::fromString(ctx.tenantId);
    a.userId = QUuid::fromString(ctx.userId);
    a.ip = ctx.peer.isNull() ? QString() : ctx.peer.toString();
    return a;
}

bool canSupervise(const api::CallContext &ctx)
{
    return ctx.can(api::perm::kTicketsSupervise);
}

Error ticketConflict(const QString &reason, const QString &message, const QJsonObject &extra)
{
    QJsonObject details = extra;
    details.insert(QStringLiteral("reason"), reason);
    if (!details.contains(QStringLiteral("field")))
        details.insert(QStringLiteral("field"), QStringLiteral("id"));
    return Error::make(errc::kConflict, message, details);
}

Error transitionRefused(const TicketRecord &ticket, const QString &action)
{
    const QJsonObject details{{QStringLiteral("field"), QStringLiteral("state")},
                              {QStringLiteral("state"), ticket.state}};
    const bool accepting = action == QLatin1String("tickets.accept") || action == QLatin1String("tickets.accept_next");
    if (accepting && (ticket.state == QLatin1String("in_service") || ticket.state == QLatin1String("on_hold")))
        return ticketConflict(QStringLiteral("ticket_already_accepted"),
                              QStringLiteral("the ticket was already accepted"), details);
    return ticketConflict(QStringLiteral("invalid_transition"),
                          QStringLiteral("%1 is not possible while the ticket is %2").arg(action, ticket.state),
                          details);
}

Status checkAssignableUser(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId)
{
    db::Query q(db, QStringLiteral("SELECT active FROM users WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(userId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (!q.next())
        return Error::make(errc::kNotFound, QStringLiteral("no such user"),
                           QJsonObject{{QStringLiteral("field"), QStringLiteral("userId")}});
    if (!q.value(0).toBool())
        return ticketConflict(QStringLiteral("user_inactive"), QStringLiteral("the user is deactivated"),
                              QJsonObject{{QStringLiteral("field"), QStringLiteral("userId")}});
    return {};
}

Status checkSectorExists(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId)
{
    db::Query q(db, QStringLiteral("SELECT 1 FROM sectors WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(sectorId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (!q.next())
        return Error::make(errc::kNotFound, QStringLiteral("no such sector"),
                           QJsonObject{{QStringLiteral("field"), QStringLiteral("sectorId")}});
    return {};
}

Result<std::pair<QUuid, QDateTime>> insertTicketMessage(QSqlDatabase &db, const QUuid &tenantId,
                                                        const TicketRecord &ticket, const QString &kind,
                                                        const QUuid &author, const QString &body)
{
    db::Query q(
        db, QStringLiteral("INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, "
                           "author_user_id, automatic, body, status) VALUES (?::uuid, ?::uuid, ?, ?::uuid, ?::uuid, "
                           "?, ?::uuid, false, ?, ?) RETURNING id, created_at"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(ticket.id));
    q.addBindValue(ticket.cycle);
    q.addBindValue(sql::text(ticket.contactId));
    q.addBindValue(sql::text(ticket.connectionId));
    q.addBindValue(kind);
    q.addBindValue(sql::text(author));
    q.addBindValue(body);
    q.addBindValue(kind == QLatin1String("outbound") ? QStringLiteral("pending") : QStringLiteral("none"));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(errc::kInternal, QStringLiteral("message insert returned nothing"));
    return std::pair<QUuid, QDateTime>(QUuid::fromString(q.value(0).toString()), q.value(1).toDateTime().toUTC());
}

Status recordTicketChange(QSqlDatabase &db, const Actor &actor, const QString &action,
                          const std::optional<TicketRecord> &before, const TicketChange &change, Outbox &outbox)
{
    if (change.events.isEmpty())
        return {};
    for (TicketEventRecord e : change.events) {
        if (!e.at.isValid())
            e.at = change.after.updatedAt;
        Result<qint64> id = TicketRepository::appendEvent(db, actor.tenantId, e);
        if (!id.ok())
            return id.error();
    }
    if (Status s = accounts::audit(db, actor, action, QStringLiteral("ticket"), change.after.id,
                                   before ? std::optional<QJsonObject>(auditJson(*before)) : std::nullopt,
                                   auditJson(change.after));
        !s.ok())
        return s;
    return queueTicketChanged(db, actor.tenantId, outbox, change.after, change.events.first().kind,
                              before ? before->sectorId : change.after.sectorId,
                              before ? before->assigneeId : change.after.assigneeId, change.alert);
}

Result<Committed<TicketRecord>> changeTicket(QSqlDatabase &db, const api::CallContext &ctx, const QUuid &ticketId,
                                             const TicketStep &step)
{
    const Actor actor = ticketActorOf(ctx);
    Result<TicketScope> scope = ticketScopeOf(db, ctx);
    if (!scope.ok())
        return scope.error();
    Result<TicketRecord> before = TicketRepository::find(db, actor.tenantId, ticketId, step.lock);
    if (!before.ok())
        return before.error();
    if (!scope->allows(before->sectorId, before->assigneeId))
        return noSuchTicket();
    if (!step.from.contains(before->state))
        return transitionRefused(before.value(), step.action);
    if (step.access == TicketAccess::Assigned && !canSupervise(ctx) && before->assigneeId != actor.userId)
        return Error::make(errc::kPermissionDenied,
                           QStringLiteral("only the ticket's agent or a supervisor may do this"),
                           QJsonObject{{QStringLiteral("reason"), QStringLiteral("not_assignee")}});
    Result<TicketChange> change = step.mutate(db, before.value(), scope.value());
    if (!change.ok())
        return change.error();
    Committed<TicketRecord> out{change->after, {}};
    if (Status s = recordTicketChange(db, actor, step.action, before.value(), change.value(), out.outbox); !s.ok())
        return s.error();
    return out;
}

TicketsService::TicketsService(db::DbExecutor &db, api::EventHub *hub, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
{}

void TicketsService::publish(const Outbox &outbox)
{
    if (!m_hub)
        return;
    for (const atende::server::accounts::PendingEvent &e : outbox.events)
        m_hub->publish(e.audience, e.event);
}

QCoro::Task<Result<TicketPage>> TicketsService::tickets(api::CallContext ctx, TicketFilter filter)
{
    const QUuid tenantId = QUuid::fromString(ctx.tenantId);
    auto rTask = query<TicketPage>(tenantId, [ctx, tenantId, filter](QSqlDatabase &db) -> Result<TicketPage> {
        Result<TicketScope> scope = ticketScopeOf(db, ctx);
        if (!scope.ok())
            return scope.error();
        return TicketRepository::list(db, tenantId, scope.value(), filter);
    });
    Result<TicketPage> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<TicketCounts>> TicketsService::counts(api::CallContext ctx, TicketFilter filter)
{
    const QUuid tenantId = QUuid::fromString(ctx.tenantId);
    auto rTask = query<TicketCounts>(tenantId, [ctx, tenantId, filter](QSqlDatabase &db) -> Result<TicketCounts> {
        Result<TicketScope> scope = ticketScopeOf(db, ctx);
        if (!scope.ok())
            return scope.error();
        return TicketRepository::counts(db, tenantId, scope.value(), filter);
    });
    Result<TicketCounts> r = co_await rTask;
    co_return r;
}

namespace {

// The ticket when the caller may see it; not_found otherwise (like another tenant's).
Result<TicketRecord> visibleTicket(QSqlDatabase &db, const api::CallContext &ctx, const QUuid &ticketId)
{
    Result<TicketScope> scope = ticketScopeOf(db, ctx);
    if (!scope.ok())
        return scope.error();
    Result<TicketRecord> t = TicketRepository::find(db, QUuid::fromString(ctx.tenantId), ticketId);
    if (!t.ok())
        return t.error();
    if (!scope->allows(t->sectorId, t->assigneeId))
        return noSuchTicket();
    return t;
}

} // namespace

QCoro::Task<Result<TicketRecord>> TicketsService::ticket(api::CallContext ctx, QUuid ticketId)
{
    auto rTask = query<TicketRecord>(QUuid::fromString(ctx.tenantId),
                                     [ctx, ticketId](QSqlDatabase &db) { return visibleTicket(db, ctx, ticketId); });
    Result<TicketRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<QList<TicketEventRecord>>> TicketsService::timeline(api::CallContext ctx, QUuid ticketId)
{
    auto rTask = query<QList<TicketEventRecord>>(
        QUuid::fromString(ctx.tenantId), [ctx, ticketId](QSqlDatabase &db) -> Result<QList<TicketEventRecord>> {
            Result<TicketRecord> t = visibleTicket(db, ctx, ticketId);
            if (!t.ok())
                return t.error();
            return TicketRepository::events(db, QUuid::fromString(ctx.tenantId), ticketId);
        });
    Result<QList<TicketEventRecord>> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
