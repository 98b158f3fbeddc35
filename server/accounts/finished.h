#pragma once
// Awaits a QFuture without producing a value from the co_await expression; the caller reads result()
// afterwards. GCC 12 destroyed the value of `T x = co_await future;` twice in such coroutines (the same
// workaround as server/auth/auth_service.cpp).

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <coroutine>

namespace atende::server::accounts {

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

} // namespace atende::server::accounts
