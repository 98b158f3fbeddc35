#include "server/messenger/prekey_forwarding_store.h"

#include "server/signal/signal_account.h"

namespace atende::server::messenger {

QCoro::Task<core::Status> PreKeyForwardingStore::saveCredentials(const whatsapp::Credentials &credentials)
{
    auto saving = m_inner.saveCredentials(credentials);
    core::Status saved = co_await saving;
    co_return saved;
}

QCoro::Task<core::Status> PreKeyForwardingStore::savePreKeys(const QList<whatsapp::PreKeyRecord> &preKeys)
{
    const QList<whatsapp::PreKeyRecord> keys = preKeys; // the caller's list may be gone when we resume
    const std::shared_ptr<bool> alive = m_alive;
    auto saving = m_inner.savePreKeys(keys);
    core::Status saved = co_await saving;
    // The owner (and the account) may have been destroyed during the write: the keys are durable, and a
    // rebuilt account loads them from the store.
    if (!*alive)
        co_return saved;
    if (saved && m_account)
        m_account->addPreKeys(keys);
    co_return saved;
}

QCoro::Task<core::Status> PreKeyForwardingStore::clear()
{
    auto clearing = m_inner.clear();
    core::Status cleared = co_await clearing;
    co_return cleared;
}

} // namespace atende::server::messenger
