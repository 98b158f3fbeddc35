#include "server/signal/memory_signal_store.h"

#include "server/signal/error_codes.h"

namespace atende::server::signal {

QCoro::Task<core::Result<SignalSnapshot>> MemorySignalStore::load()
{
    // A named copy: GCC 12 moves from a member named in co_return, which would empty the store.
    SignalSnapshot copy = m_snapshot;
    co_return copy;
}

QCoro::Task<core::Status> MemorySignalStore::flush(SignalChanges changes)
{
    if (m_failing)
        co_return core::Error::make(errc::kInternal, QStringLiteral("memory store set to fail"));
    changes.applyTo(m_snapshot);
    ++m_flushes;
    co_return core::Status();
}

QCoro::Task<core::Status> MemorySignalStore::clear()
{
    m_snapshot = {};
    co_return core::Status();
}

} // namespace atende::server::signal
