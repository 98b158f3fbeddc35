#pragma once
// Awaits a QFuture without producing a value from the co_await expression; the caller reads result()
// afterwards:
//     QFuture<R> f = db.run(...);
//     FutureFinished<R> done(f);
//     co_await done;
//     R r = f.result();
// GCC 12 destroyed the value of `T x = co_await future;` twice in coroutines whose lambdas capture
// QStrings (see auth_service.cpp, which keeps its own copy of this awaiter).
#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <coroutine>

namespace atende::server::auth {

template <typename T> class FutureFinished {
public:
    explicit FutureFinished(const QFuture<T> &future)
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

} // namespace atende::server::auth
