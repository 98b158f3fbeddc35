#pragma once
// Private to the tickets_service*.cpp files: the transaction helpers of TicketsService (the same shape as
// ContactsService's) and changeTicket(), the one path every change of an existing ticket takes.
//
// GCC 12 workarounds (see server/accounts/accounts_service_impl.h): a coroutine is never called inside a
// co_await expression with by-value arguments, and QFutures are awaited with db::Finished.

#include "server/accounts/account_types.h"
#include "server/accounts/change_log.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/desk/ticket_proto.h"
#include "server/desk/ticket_repository.h"
#include "server/desk/tickets_service.h"

#include <QLoggingCategory>
#include <QPointer>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcDesk)

namespace atende::server::desk {

using Actor = atende::server::accounts::Actor;
using atende::server::accounts::Committed;
using atende::server::accounts::Outbox;
using db::Finished;

// Shared with ContactsService (contacts_service.cpp).
atende::core::Error deskShuttingDown();
atende::core::Error deskReported(const atende::core::Error &error, const char *what);

inline constexpr qsizetype kMaxReasonLength = 500;
inline constexpr qsizetype kMaxTicketMessageLength = 4096; // WhatsApp's limit for one text message
inline constexpr qsizetype kMaxTicketTags = 50;
inline constexpr qsizetype kMaxTicketTagLength = 50;

// What a change did: the new row, the events to append (their `at` defaults to the row's updated_at) and
// how to announce it. No events: nothing changed (no audit row, no TicketChanged).
struct TicketChange {
    TicketRecord after;
    QList<TicketEventRecord> events;
    bool alert = false;
};

enum class TicketAccess {
    Assigned, // tickets.supervise, or the ticket is assigned to the caller
    Visible,  // anyone who can see it (accepting a waiting ticket)
};

using TicketMutation =
    std::function<atende::core::Result<TicketChange>(QSqlDatabase &, const TicketRecord &before, const TicketScope &)>;

struct TicketStep {
    QString action;   // the operation name, also the audit action
    QStringList from; // states the step applies to; others are a conflict
    TicketAccess access = TicketAccess::Assigned;
    bool lock = true; // FOR UPDATE before checking (accept relies on its conditional UPDATE instead)
    TicketMutation mutate;
};

Actor ticketActorOf(const api::CallContext &ctx);
bool canSupervise(const api::CallContext &ctx);

// Inside a tenant transaction: loads the ticket (locked when step.lock), not_found unless the caller's scope
// allows it, conflict unless its state is in step.from, permission_denied unless the caller may act on it;
// then mutates and records events, the audit row and TicketChanged.
atende::core::Result<Committed<TicketRecord>> changeTicket(QSqlDatabase &db, const api::CallContext &ctx,
                                                           const QUuid &ticketId, const TicketStep &step);

// Records an already applied change of `before` (events, audit, TicketChanged) into `out`.
atende::core::Status recordTicketChange(QSqlDatabase &db, const Actor &actor, const QString &action,
                                        const std::optional<TicketRecord> &before, const TicketChange &change,
                                        Outbox &outbox);

// conflict with details {field: "state", reason, state}: the ticket's state does not allow `action`.
atende::core::Error transitionRefused(const TicketRecord &ticket, const QString &action);
atende::core::Error ticketConflict(const QString &reason, const QString &message, const QJsonObject &extra = {});
// A user who may receive a ticket: exists in the tenant (not_found) and is active (conflict user_inactive).
atende::core::Status checkAssignableUser(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId);
// A sector of the tenant (not_found otherwise).
atende::core::Status checkSectorExists(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId);
// Inserts a message of the ticket's current cycle (kind outbound -> status pending, note -> none), authored
// by `author`; returns its id and time.
atende::core::Result<std::pair<QUuid, QDateTime>> insertTicketMessage(QSqlDatabase &db, const QUuid &tenantId,
                                                                      const TicketRecord &ticket, const QString &kind,
                                                                      const QUuid &author, const QString &body);

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> TicketsService::commit(QUuid tenantId, F f)
{
    QPointer<TicketsService> self(this);
    QFuture<atende::core::Result<Committed<T>>> future = m_db.runTenant(tenantId, std::move(f));
    Finished<atende::core::Result<Committed<T>>> done(future);
    co_await done;
    atende::core::Result<Committed<T>> r = future.result();
    if (!self)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "ticket write");
    publish(r->outbox);
    T value = r->value;
    co_return value;
}

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> TicketsService::query(QUuid tenantId, F f)
{
    QPointer<TicketsService> self(this);
    QFuture<atende::core::Result<T>> future = m_db.runTenant(tenantId, std::move(f));
    Finished<atende::core::Result<T>> done(future);
    co_await done;
    atende::core::Result<T> r = future.result();
    if (!self)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "ticket read");
    co_return r;
}

} // namespace atende::server::desk
