#pragma once
// Private to the ticket repository files: the column list every ticket query selects (aliased `t`) and how
// one row of it is read.

#include "server/desk/ticket_types.h"

#include <QSqlQuery>
#include <QString>

namespace atende::server::desk {

const QString &ticketColumns();
TicketRecord readTicketRow(const QSqlQuery &q);
// The exact last_activity_at of the row, for the keyset cursor (QDateTime keeps only milliseconds).
QString ticketActivityKey(const QSqlQuery &q);

} // namespace atende::server::desk
