#pragma once
// Awaits a QFuture without producing a value from the co_await expression; read future.result()
// afterwards:
//     QFuture<Result<T>> f = db.runTenant(...);
//     co_await db::Finished(f);
//     Result<T> r = f.result();
// GCC 12 destroyed the value of `T x = co_await future;` twice in coroutines whose database lambdas
// captured QStrings (a double free); this awaiter sidesteps that code path. Use it for every DbExecutor call.

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <coroutine>

namespace atende::server::db {

template <typename T> class Finished {
public:
    explicit Finished(const QFuture<T> &future)
        : m_future(future)
    {}
    bool await_ready() const noexcept { return m_future.isFinished(); }
    void await_suspend(std::coroutine_handle<> caller)
    {
        auto *watcher = new QFutureWatcher<T>();
        QObject::connect(watcher, &QFutureWatcherBase::finished, [watcher, caller]() mutable {
            watcher->deleteLater();
            caller.resume();
        });
        watcher->setFuture(m_future);
    }
    void await_resume() const noexcept {}

private:
    QFuture<T> m_future;
};

} // namespace atende::server::db
