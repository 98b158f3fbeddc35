// QuickRepliesService::render: a reply's variables filled for one ticket.

#include "server/accounts/accounts_validation.h"
#include "server/db/sql_util.h"
#include "server/desk/desk_tx.h"
#include "server/desk/quick_replies_service.h"
#include "server/desk/ticket_scope.h"

#include <QSqlQuery>

namespace atende::server::desk {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

Error noSuchTicket()
{
    return Error::make(errc::kNotFound, QStringLiteral("no such ticket"));
}

// The ticket must exist and be visible to the caller (TicketScope); otherwise not_found, as for a ticket of
// another tenant.
Status checkTicketVisible(QSqlDatabase &db, const ReplyCaller &c, const QUuid &ticketId, TicketScope &scope)
{
    Result<TicketScope> loaded = ticketScopeFor(db, c.actor.tenantId, c.actor.userId, c.supervise);
    if (!loaded.ok())
        return loaded.error();
    scope = loaded.value();
    db::Query q(
        db, QStringLiteral("SELECT sector_id, assignee_id FROM tickets WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(c.actor.tenantId.toString(QUuid::WithoutBraces));
    q.addBindValue(ticketId.toString(QUuid::WithoutBraces));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (!q.next())
        return noSuchTicket();
    if (!scope.allows(QUuid::fromString(q.value(0).toString()), QUuid::fromString(q.value(1).toString())))
        return noSuchTicket();
    return {};
}

bool usable(const QuickReplyRecord &r, const TicketScope &scope)
{
    if (r.scope == QLatin1String("personal"))
        return r.ownerId == scope.userId;
    if (r.scope == QLatin1String("sector"))
        return scope.all || scope.sectorIds.contains(r.sectorId);
    return true;
}

// The template to fill: the given body, the reply `id`, or the caller's best reply named `shortcut`.
Result<QString> templateOf(QSqlDatabase &db, const ReplyCaller &c, const TicketScope &scope, const QUuid &id,
                           QString shortcut, const QString &body)
{
    if (!body.isEmpty())
        return body;
    const Error none = Error::make(errc::kNotFound, QStringLiteral("no such quick reply"));
    if (!id.isNull()) {
        Result<QuickReplyRecord> r = QuickReplyRepository::find(db, c.actor.tenantId, id);
        if (!r.ok())
            return r.error();
        if (!usable(r.value(), scope))
            return none;
        return r->body;
    }
    shortcut = shortcut.trimmed().toLower();
    if (shortcut.startsWith(QLatin1Char('/')))
        shortcut.remove(0, 1);
    QuickReplyFilter filter;
    filter.prefix = shortcut;
    Result<QList<QuickReplyRecord>> all = QuickReplyRepository::list(
        db, c.actor.tenantId, QuickReplyReach{c.actor.userId, scope.sectorIds, scope.all}, filter);
    if (!all.ok())
        return all.error();
    for (const QuickReplyRecord &r : all.value()) // personal, sector, tenant order
        if (r.shortcut == shortcut)
            return r.body;
    return none;
}

} // namespace

QCoro::Task<Result<RenderedText>> QuickRepliesService::render(ReplyCaller caller, QUuid id, QString shortcut,
                                                              QString body, QUuid ticketId)
{
    if (id.isNull() && shortcut.trimmed().isEmpty() && body.isEmpty())
        co_return accounts::invalidField(QStringLiteral("id"), QStringLiteral("required"),
                                         QStringLiteral("give id, shortcut or body"));
    if (body.size() > 4096)
        co_return accounts::invalidField(QStringLiteral("body"), QStringLiteral("too_long"),
                                         QStringLiteral("body is too long"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto rTask =
        deskQuery<RenderedText>(m_db, this, caller.actor.tenantId,
                                [caller, id, shortcut, body, ticketId, now](QSqlDatabase &db) -> Result<RenderedText> {
                                    TicketScope scope;
                                    if (Status s = checkTicketVisible(db, caller, ticketId, scope); !s.ok())
                                        return s.error();
                                    Result<QString> text = templateOf(db, caller, scope, id, shortcut, body);
                                    if (!text.ok())
                                        return text.error();
                                    Result<QHash<QString, QString>> values = QuickReplyRepository::variables(
                                        db, caller.actor.tenantId, ticketId, caller.actor.userId, now);
                                    if (!values.ok())
                                        return values.error();
                                    return renderTemplate(text.value(), values.value());
                                });
    Result<RenderedText> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::desk
