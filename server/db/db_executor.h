#pragma once
// DbExecutor (ARCHITECTURE.md decision 3): N worker threads, each owning one QPSQL connection.
// Callers hand it a function `R f(QSqlDatabase &)`, which runs on a worker, and get a QFuture<R>
// they can `co_await` from a coroutine on the main thread. A transaction lives entirely inside one
// call. Calls with the same key always run on the same worker, so writes for one conversation stay
// ordered. A worker whose connection broke (database restart) reconnects and runs the call once more
// before it reports a failure.
//
// Tenancy (ARCHITECTURE.md decision 4): run()/runKeyed() execute as the configured database user, the
// owner of the schema; they are for migrations, health checks and admin commands. Everything done on
// behalf of a tenant goes through runTenant()/runTenantKeyed(): the worker opens a transaction, switches
// to the atende_app role with SET LOCAL ROLE (a role that owns no table and cannot bypass Row-Level
// Security) and sets app.tenant_id for that transaction only, then calls f. f returns Result<T> or
// Status; ok commits, an error rolls back (see tenantTransaction() in sql_util.h). Because both the role
// and the setting are transaction-local, a pooled connection never carries one tenant's scope into the
// next call, and a query that forgets a WHERE tenant_id still only sees the bound tenant's rows.

#include "server/db/db_config.h"
#include "server/db/sql_util.h"

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QSqlDatabase>
#include <QUuid>

#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>
#include <vector>

namespace atende::server::db {

class DbWorker;

class DbExecutor : public QObject {
    Q_OBJECT
public:
    DbExecutor(DbConfig config, int workers, QObject *parent = nullptr);
    ~DbExecutor() override;

    // Opens every worker's connection; blocks until all have tried. Fails if any could not connect.
    atende::core::Status start();
    // Finishes queued calls, closes the connections and joins the threads.
    void stop();

    template <typename F> auto run(F f) -> QFuture<std::invoke_result_t<F, QSqlDatabase &>>
    {
        return submit(pickWorker(), std::move(f));
    }
    template <typename F> auto runKeyed(quint64 key, F f) -> QFuture<std::invoke_result_t<F, QSqlDatabase &>>
    {
        return submit(int(key % quint64(m_workers.size())), std::move(f));
    }
    // f(QSqlDatabase &) -> Result<T> or Status, run inside tenantTransaction(db, tenantId, f).
    template <typename F> auto runTenant(QUuid tenantId, F f) -> QFuture<std::invoke_result_t<F, QSqlDatabase &>>
    {
        return submit(pickWorker(), tenantCall(tenantId, std::move(f)));
    }
    template <typename F>
    auto runTenantKeyed(quint64 key, QUuid tenantId, F f) -> QFuture<std::invoke_result_t<F, QSqlDatabase &>>
    {
        return submit(int(key % quint64(m_workers.size())), tenantCall(tenantId, std::move(f)));
    }

    int workerCount() const { return int(m_workers.size()); }
    int busyWorkers() const;
    qint64 queuedCalls() const { return m_queued.load(); }
    qint64 reconnects() const { return m_reconnects.load(); }
    const DbConfig &config() const { return m_config; }

    // Used by workers.
    void noteReconnect() { ++m_reconnects; }

private:
    using Job = std::function<void(QSqlDatabase &, bool lastAttempt, bool *retry)>;

    template <typename F> auto submit(int worker, F f) -> QFuture<std::invoke_result_t<F, QSqlDatabase &>>
    {
        using R = std::invoke_result_t<F, QSqlDatabase &>;
        auto promise = std::make_shared<QPromise<R>>();
        QFuture<R> future = promise->future();
        promise->start();
        ++m_queued;
        post(worker, [this, promise, f = std::move(f)](QSqlDatabase &db, bool lastAttempt, bool *retry) mutable {
            if constexpr (std::is_void_v<R>) {
                f(db);
                if (!lastAttempt && connectionBroken(db)) {
                    *retry = true;
                    return;
                }
                --m_queued;
                promise->finish();
            } else {
                R r = f(db);
                if (!lastAttempt && connectionBroken(db)) {
                    *retry = true;
                    return;
                }
                --m_queued;
                promise->addResult(std::move(r));
                promise->finish();
            }
        });
        return future;
    }

    template <typename F> static auto tenantCall(QUuid tenantId, F f)
    {
        return [tenantId, f = std::move(f)](QSqlDatabase &db) mutable -> std::invoke_result_t<F, QSqlDatabase &> {
            return tenantTransaction(db, tenantId, f);
        };
    }

    static bool connectionBroken(QSqlDatabase &db);

public:
    static bool connectionBrokenStatic(QSqlDatabase &db);

private:
    int pickWorker();
    void post(int worker, Job job);

    DbConfig m_config;
    std::vector<std::unique_ptr<DbWorker>> m_workers;
    std::atomic<qint64> m_queued{0};
    std::atomic<qint64> m_reconnects{0};
    std::atomic<unsigned> m_next{0};
    bool m_started = false;
};

} // namespace atende::server::db
