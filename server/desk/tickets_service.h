#pragma once
// The ticket lifecycle (issue 4 item 3, PRODUCT.md "Ticket lifecycle"): lists, the timeline and every
// state change an agent or supervisor makes. Inbound routing (a customer message opening or reopening a
// ticket) is ticket_router.h; it runs inside the ingest transaction instead.
//
// Every method works on the caller's tenant (CallContext, never the request) through runTenant, and applies
// the caller's TicketScope: a ticket the caller cannot see is not_found, exactly like another tenant's.
// Acting: holders of tickets.supervise act on any ticket; others only on tickets assigned to them, and
// accept waiting tickets they can see (permission_denied otherwise). A change that the ticket's state does
// not allow is conflict with details.reason (invalid_transition, ticket_already_accepted, ...) and changes
// nothing. Each change commits together with its ticket_events rows (actor, from/to state, sector, user,
// reason), an audit row (before/after) and TicketChanged events, which are published after COMMIT.
//
// Lives on the main thread; coroutines resume there.

#include "common/core/result.h"
#include "server/api/operation.h"
#include "server/desk/ticket_repository.h"
#include "server/desk/ticket_types.h"

#include <QObject>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}
namespace atende::server::accounts {
struct Outbox;
}

namespace atende::server::desk {

struct TicketTransfer {
    QUuid sectorId; // null: stays in its sector
    QUuid userId;   // null: back to the queue of the (new) sector
    QString reason;
    QString note; // stored as an internal note (messages kind 'note') when not empty
};

class TicketsService : public QObject {
    Q_OBJECT
public:
    // hub may be null (no events are published then).
    TicketsService(db::DbExecutor &db, api::EventHub *hub, QObject *parent = nullptr);

    QCoro::Task<atende::core::Result<TicketPage>> tickets(api::CallContext ctx, TicketFilter filter);
    QCoro::Task<atende::core::Result<TicketCounts>> counts(api::CallContext ctx, TicketFilter filter);
    QCoro::Task<atende::core::Result<TicketRecord>> ticket(api::CallContext ctx, QUuid ticketId);
    QCoro::Task<atende::core::Result<QList<TicketEventRecord>>> timeline(api::CallContext ctx, QUuid ticketId);

    QCoro::Task<atende::core::Result<TicketRecord>> accept(api::CallContext ctx, QUuid ticketId);
    // sectorId null: any sector the caller sees.
    QCoro::Task<atende::core::Result<TicketRecord>> acceptNext(api::CallContext ctx, QUuid sectorId);
    QCoro::Task<atende::core::Result<TicketRecord>> hold(api::CallContext ctx, QUuid ticketId, QString reason);
    QCoro::Task<atende::core::Result<TicketRecord>> resume(api::CallContext ctx, QUuid ticketId);
    // closingMessage not empty: an outbound message to the customer, queued for sending (job message.send).
    QCoro::Task<atende::core::Result<TicketRecord>> close(api::CallContext ctx, QUuid ticketId, QString reason,
                                                          QString closingMessage);
    QCoro::Task<atende::core::Result<TicketRecord>> reopen(api::CallContext ctx, QUuid ticketId, QString reason);
    QCoro::Task<atende::core::Result<TicketRecord>> transfer(api::CallContext ctx, QUuid ticketId,
                                                             TicketTransfer transfer);
    // Supervisors only (the operation requires tickets.supervise).
    QCoro::Task<atende::core::Result<TicketRecord>> assign(api::CallContext ctx, QUuid ticketId, QUuid userId,
                                                           QString reason);
    QCoro::Task<atende::core::Result<TicketRecord>> tag(api::CallContext ctx, QUuid ticketId, QString tag, bool add);
    // An agent-initiated ticket, in_service with the caller.
    QCoro::Task<atende::core::Result<TicketRecord>> create(api::CallContext ctx, QUuid contactId, QUuid connectionId,
                                                           QUuid sectorId);

private:
    // Runs f(QSqlDatabase &) -> Result<Committed<T>> in a tenant transaction, then publishes its outbox.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> commit(QUuid tenantId, F f);
    // Runs f(QSqlDatabase &) -> Result<T> in a tenant transaction.
    template <typename T, typename F> QCoro::Task<atende::core::Result<T>> query(QUuid tenantId, F f);
    void publish(const atende::server::accounts::Outbox &outbox);

    db::DbExecutor &m_db;
    api::EventHub *m_hub;
};

} // namespace atende::server::desk
