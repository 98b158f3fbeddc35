#pragma once
// A linked account for Signal tests: fresh credentials and one-time prekeys, a MemorySignalStore holding
// them, and a SignalAccount loaded from that store — so restart() is a real "new process from storage".

#include "server/signal/memory_signal_store.h"
#include "server/signal/signal_account.h"
#include "server/signal/signal_context.h"

#include <memory>

namespace atende::test {

struct TestPeer {
    TestPeer(server::signal::SignalContext &context, server::signal::SignalAddress address, int preKeyCount = 3);

    // The peer's `<user>` bundle as a key fetch returns it; `preKeyIndex` picks a one-time prekey or none.
    server::signal::PreKeyBundle bundle(std::optional<int> preKeyIndex = 0) const;
    // Flushes the account, drops it and loads a new one from the store.
    void restart();
    // Replaces the identity (a reinstall): new credentials and prekeys, empty store.
    void reinstall();

    server::signal::SignalContext &context;
    server::signal::SignalAddress address;
    server::whatsapp::Credentials credentials;
    QList<server::whatsapp::PreKeyRecord> preKeys;
    std::unique_ptr<server::signal::MemorySignalStore> store;
    std::unique_ptr<server::signal::SignalAccount> account;

private:
    void create(int preKeyCount);
};

} // namespace atende::test
