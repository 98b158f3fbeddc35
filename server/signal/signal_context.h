#pragma once
// The libsignal-protocol-c library context with an OpenSSL 3 crypto provider (TOOLCHAIN.md pitfalls 11–13).
// Not a global: the composition root owns one and passes it to every SignalAccount. The context carries no
// per-account state, so one can serve thousands of accounts; it installs a recursive lock, so accounts on
// different threads may share it (one context per worker thread avoids contention on that lock).

#include <memory>
#include <mutex>

struct signal_context;

namespace atende::server::signal {

class SignalContext {
public:
    SignalContext();
    ~SignalContext();
    SignalContext(const SignalContext &) = delete;
    SignalContext &operator=(const SignalContext &) = delete;

    // Null only when libsignal refused the provider (allocation failure); operations then fail with
    // signal_internal instead of crashing.
    signal_context *get() const { return m_context; }

private:
    signal_context *m_context = nullptr;
    std::recursive_mutex m_mutex;
};

} // namespace atende::server::signal
