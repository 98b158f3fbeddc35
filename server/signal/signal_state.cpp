#include "server/signal/signal_state.h"

#include <algorithm>

namespace atende::server::signal {

bool SignalChanges::isEmpty() const
{
    return sessions.empty() && deletedSessions.empty() && identities.empty() && removedPreKeys.empty() &&
           senderKeys.empty();
}

void SignalChanges::merge(SignalChanges later)
{
    for (auto &[address, record] : later.sessions) {
        deletedSessions.erase(address);
        sessions.insert_or_assign(address, std::move(record));
    }
    for (const SignalAddress &address : later.deletedSessions) {
        sessions.erase(address);
        deletedSessions.insert(address);
    }
    for (auto &[address, key] : later.identities)
        identities.insert_or_assign(address, std::move(key));
    removedPreKeys.merge(later.removedPreKeys);
    for (auto &[name, record] : later.senderKeys)
        senderKeys.insert_or_assign(name, std::move(record));
}

void SignalChanges::applyTo(SignalSnapshot &snapshot) const
{
    for (const SignalAddress &address : deletedSessions)
        snapshot.sessions.erase(address);
    for (const auto &[address, record] : sessions)
        snapshot.sessions.insert_or_assign(address, record);
    for (const auto &[address, key] : identities) {
        if (key.isEmpty())
            snapshot.identities.erase(address);
        else
            snapshot.identities.insert_or_assign(address, key);
    }
    if (!removedPreKeys.empty()) {
        snapshot.preKeys.removeIf(
            [this](const whatsapp::PreKeyRecord &preKey) { return removedPreKeys.contains(preKey.id); });
    }
    for (const auto &[name, record] : senderKeys)
        snapshot.senderKeys.insert_or_assign(name, record);
}

} // namespace atende::server::signal
