#pragma once
// A first-come first-served lock for coroutines on one thread: the Messenger serializes an account's sends
// and its Signal store flushes with it. Waiters are resumed from the event loop, never from inside
// unlock(). Nothing is allocated while nobody waits.

#include <QTimer>

#include <QList>
#include <coroutine>
#include <memory>

namespace atende::server::messenger {

class AsyncLock {
public:
    AsyncLock() = default;
    AsyncLock(const AsyncLock &) = delete;
    AsyncLock &operator=(const AsyncLock &) = delete;
    // Resumes every waiter (they must check that their owner is still alive) so no coroutine frame leaks.
    ~AsyncLock()
    {
        for (auto handle : m_waiters)
            QTimer::singleShot(0, [handle] { handle.resume(); });
    }

    struct Awaiter {
        AsyncLock &lock;
        bool await_ready() const noexcept
        {
            if (lock.m_locked)
                return false;
            lock.m_locked = true;
            return true;
        }
        void await_suspend(std::coroutine_handle<> handle) { lock.m_waiters.push_back(handle); }
        void await_resume() const noexcept {}
    };
    // co_await lock.lock(); … lock.unlock(); the lock passes to the next waiter as it is released.
    Awaiter lock() { return Awaiter{*this}; }
    void unlock()
    {
        if (m_waiters.empty()) {
            m_locked = false;
            return;
        }
        auto next = m_waiters.front();
        m_waiters.pop_front();
        QTimer::singleShot(0, [next] { next.resume(); }); // still locked: ownership passes to `next`
    }
    bool locked() const { return m_locked; }

private:
    bool m_locked = false;
    QList<std::coroutine_handle<>> m_waiters; // QList: no allocation while empty (std::deque allocates)
};

} // namespace atende::server::messenger
