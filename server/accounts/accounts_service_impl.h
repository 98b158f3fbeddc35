#pragma once
// Private to the accounts_service*.cpp files: the transaction helpers of AccountsService and small shared
// functions.
//
// GCC 12 workaround used throughout the module: a coroutine is never called inside a co_await
// expression with by-value arguments (`co_await svc->update(actor.value(), fromProto(req))` destroyed the
// argument copies twice, found with valgrind). The task is created in its own statement and awaited
// by name: `auto rTask = f(args...); Result<T> r = co_await rTask;`. QFutures are awaited with db::Finished.

#include "server/accounts/accounts_service.h"
#include "server/accounts/change_log.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"

#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcAccounts)

namespace atende::server::accounts {

using db::Finished;

atende::core::Error shuttingDown();
// Internal errors are logged here and reach the client without detail.
atende::core::Error reported(const atende::core::Error &error, const char *what);

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> AccountsService::commit(QUuid tenantId, F f)
{
    QPointer<AccountsService> self(this);
    QFuture<atende::core::Result<Committed<T>>> future = m_db.runTenant(tenantId, std::move(f));
    Finished<atende::core::Result<Committed<T>>> done(future);
    co_await done;
    atende::core::Result<Committed<T>> r = future.result();
    if (!self)
        co_return shuttingDown();
    if (!r.ok())
        co_return reported(r.error(), "write");
    publish(tenantId, r->outbox);
    T value = r->value;
    co_return value;
}

template <typename T, typename F> QCoro::Task<atende::core::Result<T>> AccountsService::query(QUuid tenantId, F f)
{
    QPointer<AccountsService> self(this);
    QFuture<atende::core::Result<T>> future = m_db.runTenant(tenantId, std::move(f));
    Finished<atende::core::Result<T>> done(future);
    co_await done;
    atende::core::Result<T> r = future.result();
    if (!self)
        co_return shuttingDown();
    if (!r.ok())
        co_return reported(r.error(), "read");
    co_return r;
}

} // namespace atende::server::accounts
