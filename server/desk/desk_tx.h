#pragma once
// The two transaction shapes of the desk services, as free templates so that every service (quick replies,
// and the others as they move over) shares them instead of copying:
//   deskCommit  runs f(QSqlDatabase &) -> Result<Committed<T>> in a tenant transaction, then publishes the
//               outbox to the EventHub (only after COMMIT);
//   deskQuery   runs f(QSqlDatabase &) -> Result<T> in a tenant transaction.
// `owner` is the calling service: when it is gone after the await (shutdown), the call ends with
// shutting_down instead of touching it.

#include "server/accounts/change_log.h"
#include "server/api/event_hub.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/desk/contacts_service_impl.h"

#include <QPointer>

namespace atende::server::desk {

inline void publishOutbox(api::EventHub *hub, const accounts::Outbox &outbox)
{
    if (!hub)
        return;
    for (const accounts::PendingEvent &e : outbox.events)
        hub->publish(e.audience, e.event);
}

template <typename T, typename F>
QCoro::Task<atende::core::Result<T>> deskCommit(db::DbExecutor &db, QPointer<QObject> owner, api::EventHub *hub,
                                                QUuid tenantId, F f)
{
    QPointer<api::EventHub> hubGuard(hub);
    QFuture<atende::core::Result<accounts::Committed<T>>> future = db.runTenant(tenantId, std::move(f));
    db::Finished<atende::core::Result<accounts::Committed<T>>> done(future);
    co_await done;
    atende::core::Result<accounts::Committed<T>> r = future.result();
    if (!owner)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "write");
    publishOutbox(hubGuard.data(), r->outbox);
    T value = r->value;
    co_return value;
}

template <typename T, typename F>
QCoro::Task<atende::core::Result<T>> deskQuery(db::DbExecutor &db, QPointer<QObject> owner, QUuid tenantId, F f)
{
    QFuture<atende::core::Result<T>> future = db.runTenant(tenantId, std::move(f));
    db::Finished<atende::core::Result<T>> done(future);
    co_await done;
    atende::core::Result<T> r = future.result();
    if (!owner)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "read");
    co_return r;
}

} // namespace atende::server::desk
