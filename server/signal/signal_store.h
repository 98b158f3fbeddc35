#pragma once
// Where a SignalAccount's state lives between runs: the product implements it on PostgreSQL (encrypted at
// rest), tests use MemorySignalStore. libsignal asks for keys through synchronous callbacks, so the account
// loads everything once (load) and writes behind in batches (flush).
//
// When callers must flush: a decrypt changes the ratchet (and may consume a one-time prekey). That change
// must be durable before anything tells the sender the message arrived — the delivery receipt goes out only
// after flush() returned ok, in the same commit as the stored message (PROTOCOL.md §8.3, §11.4). An encrypt
// must be flushed before the stanza is sent, or a restart re-uses a message key. Batching several decrypts
// of one stanza (or one offline burst) into one flush is fine as long as no receipt for them left before it.

#include "common/core/result.h"
#include "server/signal/signal_state.h"

#include <qcoro/qcorotask.h>

namespace atende::server::signal {

class SignalStore {
public:
    virtual ~SignalStore() = default;
    // The whole stored state of the account (empty maps for a new account).
    virtual QCoro::Task<core::Result<SignalSnapshot>> load() = 0;
    // Writes one batch atomically; completes only once it is durable. On failure nothing was written.
    virtual QCoro::Task<core::Status> flush(SignalChanges changes) = 0;
    // Logged out / device removed: forget every session, identity, prekey and sender key of the account.
    virtual QCoro::Task<core::Status> clear() = 0;
};

} // namespace atende::server::signal
