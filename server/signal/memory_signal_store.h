#pragma once
// A SignalStore in memory, for tests and benchmarks. It keeps a snapshot and applies each flushed batch to
// it, as the PostgreSQL store does to its rows, so "new account from load()" is a real restart.

#include "server/signal/signal_store.h"

namespace atende::server::signal {

class MemorySignalStore : public SignalStore {
public:
    MemorySignalStore() = default;
    explicit MemorySignalStore(SignalSnapshot initial)
        : m_snapshot(std::move(initial))
    {}

    QCoro::Task<core::Result<SignalSnapshot>> load() override;
    QCoro::Task<core::Status> flush(SignalChanges changes) override;
    QCoro::Task<core::Status> clear() override;

    const SignalSnapshot &snapshot() const { return m_snapshot; }
    int flushes() const { return m_flushes; }
    // Makes the next flushes fail (a database outage), to test that changes are kept for a retry.
    void setFailing(bool failing) { m_failing = failing; }

private:
    SignalSnapshot m_snapshot;
    int m_flushes = 0;
    bool m_failing = false;
};

} // namespace atende::server::signal
