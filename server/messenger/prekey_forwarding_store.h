#pragma once
// The Session generates and uploads one-time prekeys (PROTOCOL.md §6.3) and stores them through its
// SessionStore; the SignalAccount must know them before a pkmsg can consume one. This SessionStore wraps the
// product's (or a test's) store and, once a batch is durable, adds it to the account.

#include "server/whatsapp/session_store.h"

#include <memory>

namespace atende::server::signal {
class SignalAccount;
}

namespace atende::server::messenger {

class PreKeyForwardingStore : public whatsapp::SessionStore {
public:
    // `inner` must outlive this store. The account may be set later (setAccount); whoever destroys it first
    // sets it back to null. A save that resumes after this store is gone touches nothing of it (the
    // Session's write may outlive both: the caller's teardown does not wait for the database).
    explicit PreKeyForwardingStore(whatsapp::SessionStore &inner, signal::SignalAccount *account = nullptr)
        : m_inner(inner)
        , m_account(account)
    {}
    ~PreKeyForwardingStore() override { *m_alive = false; }
    PreKeyForwardingStore(const PreKeyForwardingStore &) = delete;
    PreKeyForwardingStore &operator=(const PreKeyForwardingStore &) = delete;
    void setAccount(signal::SignalAccount *account) { m_account = account; }

    QCoro::Task<core::Status> saveCredentials(const whatsapp::Credentials &credentials) override;
    QCoro::Task<core::Status> savePreKeys(const QList<whatsapp::PreKeyRecord> &preKeys) override;
    QCoro::Task<core::Status> clear() override;

private:
    whatsapp::SessionStore &m_inner;
    signal::SignalAccount *m_account = nullptr;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // false once destroyed
};

} // namespace atende::server::messenger
