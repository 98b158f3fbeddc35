#pragma once
// Mapping between ticket records and the atende.api.v1 messages (tickets.proto, sync.proto), the audit-log
// JSON of a ticket, and what every ticket change queues besides its row: the TicketChanged event(s).

#include "common/core/result.h"
#include "server/accounts/change_log.h"
#include "server/desk/ticket_types.h"

#include "atende/api/v1/sync.pb.h"
#include "atende/api/v1/tickets.pb.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace atende::server::desk {

atende::api::v1::Ticket toProto(const TicketRecord &ticket);
atende::api::v1::TicketEvent toProto(const TicketEventRecord &event);

QJsonObject auditJson(const TicketRecord &ticket);

// An event of `ticket` (its id and cycle, at = its updated_at, the time of the change) of `kind` by `actor`.
TicketEventRecord ticketEvent(const TicketRecord &ticket, const QString &kind, const QUuid &actor);

// Queues TicketChanged {ticket, change, previous sector/assignee, alert} for holders of tickets.read with
// Audience {sectorId = ticket's sector, assigneeId = ticket's assignee}. When the ticket left a sector or an
// assignee whom that audience does not cover, the previous audience gets it too (alert off), so their lists
// drop it. Inside the change's transaction (Outbox::add takes the event sequence numbers).
atende::core::Status queueTicketChanged(QSqlDatabase &db, const QUuid &tenantId, accounts::Outbox &outbox,
                                        const TicketRecord &ticket, const QString &change,
                                        const QUuid &previousSectorId, const QUuid &previousAssigneeId,
                                        bool alert = false);

} // namespace atende::server::desk
