#pragma once
// Private to the ticket repository files: the column list every ticket query selects (aliased `t`) and how
// one row of it is read.

#include "server/desk/ticket_types.h"

#include <QSqlQuery>
#include <QString>

namespace atende::server::desk {

// The ticket's own columns (0-20); the contact's name and phone (21, 22) follow as ticketContactColumns(alias)
// with `alias` naming a relation that has those columns — lists add them once, after the LIMIT.
const QString &ticketColumns();
QString ticketContactColumns(const QString &alias);
TicketRecord readTicketRow(const QSqlQuery &q);
// The exact last_activity_at of the row, for the keyset cursor (QDateTime keeps only milliseconds).
QString ticketActivityKey(const QSqlQuery &q);

} // namespace atende::server::desk
