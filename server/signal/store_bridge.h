#pragma once
// Internal: the libsignal store callbacks of a SignalAccount. They read the account's committed state
// through the scratch changes of the running operation and write only into those changes.

#include "server/signal/lsc_util.h"

namespace atende::server::signal {

class SignalAccount;

struct StoreBridge {
    // A store context whose callbacks serve `account`; lives for one operation.
    static core::Result<lsc::StoreContext> makeStoreContext(SignalAccount &account);
};

} // namespace atende::server::signal
