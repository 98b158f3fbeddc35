#pragma once
// Private to the contacts_service*.cpp files: the transaction helpers of ContactsService (the same shape as
// AccountsService's) and small shared functions.
//
// GCC 12 workarounds (see server/accounts/accounts_service_impl.h): a coroutine is never called inside a
// co_await expression with by-value arguments (`auto rTask = f(args...); Result<T> r = co_await rTask;`),
// and QFutures are awaited with db::Finished, never `T x = co_await future`.

#include "server/accounts/change_log.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/desk/contacts_service.h"

#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcDesk)

namespace atende::server::desk {

using atende::server::accounts::audit;
using atende::server::accounts::Committed;
using atende::server::accounts::Outbox;
using db::Finished;

atende::core::Error deskShuttingDown();
// Internal errors are logged here and reach the client without detail.
atende::core::Error deskReported(const atende::core::Error &error, const char *what);
// conflict with details {field, reason}.
atende::core::Error deskConflict(const QString &field, const QString &reason, const QString &message);

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> ContactsService::commit(QUuid tenantId, F f)
{
    QPointer<ContactsService> self(this);
    QFuture<atende::core::Result<Committed<T>>> future = m_db.runTenant(tenantId, std::move(f));
    Finished<atende::core::Result<Committed<T>>> done(future);
    co_await done;
    atende::core::Result<Committed<T>> r = future.result();
    if (!self)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "write");
    publish(r->outbox);
    T value = r->value;
    co_return value;
}

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> ContactsService::query(QUuid tenantId, F f)
{
    QPointer<ContactsService> self(this);
    QFuture<atende::core::Result<T>> future = m_db.runTenant(tenantId, std::move(f));
    Finished<atende::core::Result<T>> done(future);
    co_await done;
    atende::core::Result<T> r = future.result();
    if (!self)
        co_return deskShuttingDown();
    if (!r.ok())
        co_return deskReported(r.error(), "read");
    co_return r;
}

} // namespace atende::server::desk
