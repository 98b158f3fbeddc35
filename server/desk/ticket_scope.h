#pragma once
// Which tickets a caller may see — the one rule every ticket, message, search and history query applies
// (PRODUCT.md "Agents only see tickets of their sectors (plus their own)"), matching the events' Audience
// {sectorId = ticket's sector, assigneeId = ticket's assignee}:
//   - holders of tickets.supervise and API tokens see every ticket of the tenant;
//   - everybody else sees tickets of the sectors they belong to, tickets assigned to them, and tickets
//     without a sector (the tenant's general queue).
// The tenant itself is enforced by Row-Level Security, never here.

#include "common/core/result.h"
#include "server/api/operation.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QUuid>
#include <QVariantList>

namespace atende::server::desk {

struct TicketScope {
    bool all = false;
    QUuid userId;
    QList<QUuid> sectorIds;

    // A SQL condition over the ticket row aliased `alias` ("t" -> "t.sector_id ..."), with `?` placeholders;
    // appends their values to `binds` in order. "TRUE" when all.
    QString sqlCondition(const QString &alias, QVariantList &binds) const;
    // The same rule for one ticket already loaded.
    bool allows(const QUuid &sectorId, const QUuid &assigneeId) const;
};

// Builds the caller's scope inside a tenant transaction (loads sector memberships unless `all`).
atende::core::Result<TicketScope> ticketScopeOf(QSqlDatabase &db, const api::CallContext &ctx);
// The same from its parts: `all` for tickets.supervise holders and API tokens.
atende::core::Result<TicketScope> ticketScopeFor(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                                 bool all);

} // namespace atende::server::desk
