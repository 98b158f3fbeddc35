#pragma once
// The durable event log (migration 0010_event_log.sql): the SQL for storing an event with its audience in
// the transaction of the change, reading a tenant's events back for a resuming client or another instance,
// and pruning. Synchronous like every repository; the tenant functions run inside a tenant transaction
// (DbExecutor::runTenant), prune() and tenantsSince() on the owner's connection (DbExecutor::run).

#include "common/core/result.h"
#include "server/api/event_backlog.h"
#include "server/api/event_hub.h"

#include "atende/api/v1/sync.pb.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QSqlDatabase>
#include <QUuid>

namespace atende::server::events {

// The channel every instance LISTENs on. Payloads: "<tenant uuid>:<seq>" for a stored event (sent by
// append(), delivered at COMMIT), or a JSON object for ephemeral events and principal changes (EventRelay).
inline constexpr auto kEventsChannel = "atende_events";

class EventLog {
public:
    // Inside the tenant transaction that took event.seq(): stores the event and queues its NOTIFY.
    static atende::core::Status append(QSqlDatabase &db, const api::Audience &audience,
                                       const atende::api::v1::Event &event);

    // Up to `limit` stored events after afterSeq in seq order, with the tenant's head and whether events
    // after afterSeq are missing (pruned, or afterSeq beyond the head).
    static atende::core::Result<api::BacklogPage> page(QSqlDatabase &db, const QUuid &tenantId, quint64 afterSeq,
                                                       int limit);

    // The stored events in (afterSeq, upToSeq], at most `limit`, in seq order.
    static atende::core::Result<QList<api::LoggedEvent>> range(QSqlDatabase &db, const QUuid &tenantId,
                                                               quint64 afterSeq, quint64 upToSeq, int limit);

    // Owner connection: removes, per tenant, the events up to the newest one created before `before`.
    // Returns the rows removed, or -1 when another instance is pruning right now.
    static atende::core::Result<qint64> prune(QSqlDatabase &db, const QDateTime &before);

    // Owner connection: tenants with events created since `since`, with the first and newest such seq.
    struct TenantRange {
        QUuid tenantId;
        quint64 firstSeq = 0;
        quint64 lastSeq = 0;
    };
    static atende::core::Result<QList<TenantRange>> tenantsSince(QSqlDatabase &db, const QDateTime &since);
};

} // namespace atende::server::events
