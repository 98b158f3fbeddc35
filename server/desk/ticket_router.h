#pragma once
// Inbound routing (issue 4 item 3, PRODUCT.md lifecycle and N3): which ticket a customer message belongs
// to. Runs INSIDE the ingest transaction (tenant-bound QSqlDatabase), so contact, ticket, message and
// their events commit together:
//   1. the active (not closed) ticket of (contact, connection), locked FOR UPDATE;
//   2. else the most recently closed ticket of (contact, connection) when it closed within its sector's
//      reopen window (sectors.reopen_window_minutes): reopened as cycle n+1, state waiting, queued again;
//   3. else a new ticket in state waiting (sector: `sectorId`, may be null = the tenant's general queue).
// Concurrent calls for one new contact create exactly one ticket: the insert relies on the partial UNIQUE
// index tickets_one_active (ON CONFLICT DO NOTHING, then the winner's row is read back).
// Every change appends its ticket_events (created/queued or reopened/queued) and queues a TicketChanged
// event in `outbox` (audience: tickets.read, the ticket's sector and assignee).

#include "common/core/result.h"
#include "server/accounts/change_log.h"
#include "server/desk/ticket_types.h"

#include <QSqlDatabase>
#include <QUuid>

namespace atende::server::desk {

struct RoutedTicket {
    enum class How { Existing, Created, Reopened };
    TicketRecord ticket;
    How how = How::Existing;
};

atende::core::Result<RoutedTicket> routeInbound(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                                                const QUuid &connectionId, const QUuid &sectorId,
                                                accounts::Outbox &outbox);

// Refreshes the list fields of a ticket after a message was stored in the same transaction:
// last_message_at / last_activity_at = at, last_message_preview (first 120 characters, media as its kind),
// unread_count + 1 for inbound. Queues nothing (the message event carries the change).
atende::core::Status touchTicketForMessage(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                           const QDateTime &at, const QString &preview, bool inbound);

} // namespace atende::server::desk
