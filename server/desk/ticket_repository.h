#pragma once
// SQL for a tenant's tickets and their append-only event log (migration 0009_tickets.sql). Runs inside
// runTenant() for that tenant (RLS hides other tenants, whose ids are simply not_found). Every read that a
// caller can reach takes the caller's TicketScope (ticket_scope.h), the one visibility rule.
//
// Times written by one change share one value, `date_trunc('milliseconds', clock_timestamp())` taken after
// the row lock: the ticket's columns and the `at` of the events appended for that change are then equal,
// and they round-trip through QDateTime exactly.

#include "common/core/result.h"
#include "server/desk/ticket_scope.h"
#include "server/desk/ticket_types.h"

#include <QSqlDatabase>
#include <QVariantList>

#include <optional>

namespace atende::server::desk {

// Ticket lists are ordered by (last_activity_at DESC, id DESC); `at` is the exact timestamp text.
struct TicketCursor {
    QString at;
    QUuid id;
};

struct TicketFilter {
    QString view = QStringLiteral("waiting"); // waiting | mine | team | closed
    QUuid sectorId;
    QUuid connectionId;
    QUuid contactId;
    QString tag;
    std::optional<TicketCursor> after;
    int limit = 50;
};

struct TicketPage {
    QList<TicketRecord> tickets;
    std::optional<TicketCursor> next; // set when more tickets follow
};

// The console tabs: visible waiting/bot tickets, in_service/on_hold ones assigned to the caller, and every
// visible in_service/on_hold ticket.
struct TicketCounts {
    int waiting = 0;
    int mine = 0;
    int team = 0;
    QDateTime oldestQueuedAt; // of the visible waiting tickets; invalid when none
};

// A statement with its positional binds.
struct SqlStatement {
    QString sql;
    QVariantList binds;
};

class TicketRepository {
public:
    static atende::core::Result<TicketRecord> find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &ticketId,
                                                   bool forUpdate = false);
    // The active (not closed) ticket of (contact, connection), if any.
    static atende::core::Result<std::optional<TicketRecord>> findActive(QSqlDatabase &db, const QUuid &tenantId,
                                                                        const QUuid &contactId,
                                                                        const QUuid &connectionId, bool forUpdate);
    static atende::core::Result<TicketPage> list(QSqlDatabase &db, const QUuid &tenantId, const TicketScope &scope,
                                                 const TicketFilter &filter);
    // The statement list() runs (public so that a test can EXPLAIN it); empty sql when nothing can match.
    static SqlStatement listStatement(const QUuid &tenantId, const TicketScope &scope, const TicketFilter &filter);
    // Only sectorId and connectionId of filter apply.
    static SqlStatement countsStatement(const QUuid &tenantId, const TicketScope &scope, const TicketFilter &filter);
    static atende::core::Result<TicketCounts> counts(QSqlDatabase &db, const QUuid &tenantId, const TicketScope &scope,
                                                     const TicketFilter &filter);

    // INSERT ... ON CONFLICT DO NOTHING against tickets_one_active: nullopt when (contact, connection) already
    // has an active ticket. Takes contactId, connectionId, sectorId, assigneeId, state and agentInitiated of
    // `ticket`; cycle_started_at, last_activity_at and created_at are now, queued_at too for waiting,
    // accepted_at too for in_service.
    static atende::core::Result<std::optional<TicketRecord>> insert(QSqlDatabase &db, const QUuid &tenantId,
                                                                    const TicketRecord &ticket);

    // UPDATE tickets t SET <set> WHERE the ticket is `ticketId` AND <condition>, RETURNING the new row; nullopt
    // when no row matched. In `set` and `condition` the name `v.ts` is the change's timestamp; `?` binds
    // come from setBinds then conditionBinds. updated_at is set to v.ts.
    static atende::core::Result<std::optional<TicketRecord>> update(QSqlDatabase &db, const QUuid &tenantId,
                                                                    const QUuid &ticketId, const QString &set,
                                                                    const QVariantList &setBinds,
                                                                    const QString &condition = QStringLiteral("TRUE"),
                                                                    const QVariantList &conditionBinds = {});

    // Appends one event (ticket_events is append-only); `at` invalid -> clock_timestamp(). Returns its id.
    static atende::core::Result<qint64> appendEvent(QSqlDatabase &db, const QUuid &tenantId,
                                                    const TicketEventRecord &event);
    // Every event of a ticket, all cycles, in append order.
    static atende::core::Result<QList<TicketEventRecord>> events(QSqlDatabase &db, const QUuid &tenantId,
                                                                 const QUuid &ticketId);
};

atende::core::Error noSuchTicket();

// The cursor text of tickets.list (opaque to clients) and back; nullopt for anything malformed.
QString encodeTicketCursor(const TicketCursor &cursor);
std::optional<TicketCursor> decodeTicketCursor(const QString &text);

} // namespace atende::server::desk
