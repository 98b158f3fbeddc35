#include "server/desk/ticket_scope.h"

#include "server/api/permissions.h"
#include "server/tenancy/membership.h"

#include <QStringList>

namespace atende::server::desk {

QString TicketScope::sqlCondition(const QString &alias, QVariantList &binds) const
{
    if (all)
        return QStringLiteral("TRUE");
    QString sql = QStringLiteral("(%1.sector_id IS NULL OR %1.assignee_id = ?::uuid").arg(alias);
    binds.append(userId.toString(QUuid::WithoutBraces));
    if (!sectorIds.isEmpty()) {
        QStringList placeholders;
        for (const QUuid &id : sectorIds) {
            placeholders.append(QStringLiteral("?::uuid"));
            binds.append(id.toString(QUuid::WithoutBraces));
        }
        sql += QStringLiteral(" OR %1.sector_id IN (%2)").arg(alias, placeholders.join(QLatin1Char(',')));
    }
    sql += QLatin1Char(')');
    return sql;
}

bool TicketScope::allows(const QUuid &sectorId, const QUuid &assigneeId) const
{
    return all || sectorId.isNull() || (!assigneeId.isNull() && assigneeId == userId) || sectorIds.contains(sectorId);
}

atende::core::Result<TicketScope> ticketScopeOf(QSqlDatabase &db, const api::CallContext &ctx)
{
    return ticketScopeFor(db, QUuid::fromString(ctx.tenantId), QUuid::fromString(ctx.userId),
                          ctx.isApiToken() || ctx.can(api::perm::kTicketsSupervise));
}

atende::core::Result<TicketScope> ticketScopeFor(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId, bool all)
{
    TicketScope scope;
    scope.userId = userId;
    scope.all = all;
    if (all)
        return scope;
    atende::core::Result<QSet<QUuid>> sectors = tenancy::sectorIdsOf(db, tenantId, userId);
    if (!sectors.ok())
        return sectors.error();
    scope.sectorIds = QList<QUuid>(sectors.value().begin(), sectors.value().end());
    return scope;
}

} // namespace atende::server::desk
