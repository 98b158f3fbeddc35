#pragma once
// A SessionStore keeping the bytes in memory, for library tests and the benchmark (the product stores them
// encrypted in PostgreSQL). Stores the serialized credentials, as the product does, so every save goes
// through serialize() and a restart through parse().

#include "server/whatsapp/session_store.h"

#include <QByteArray>
#include <QMap>

namespace atende::test {

class MemorySessionStore : public server::whatsapp::SessionStore {
public:
    QCoro::Task<core::Status> saveCredentials(const server::whatsapp::Credentials &credentials) override;
    QCoro::Task<core::Status> savePreKeys(const QList<server::whatsapp::PreKeyRecord> &preKeys) override;
    QCoro::Task<core::Status> clear() override;

    QByteArray credentialBytes;
    // Prekey ids → public keys (the benchmark keeps thousands of sessions; private parts are checked by size).
    QMap<quint32, QByteArray> preKeys;
    int credentialSaves = 0;
    int clears = 0;
    bool keepPreKeys = true;
    bool failSaves = false;
};

} // namespace atende::test
