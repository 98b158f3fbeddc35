#pragma once
// Where a Session keeps what must survive a restart. The product implements it on PostgreSQL with the
// bytes encrypted (secrets module); the library only calls it. Each call completes only once the data is
// durable: a prekey is never uploaded before its private part is stored, pairing is not acknowledged to
// the caller before the account is stored.

#include "common/core/result.h"
#include "server/whatsapp/credentials.h"

#include <QList>
#include <qcoro/qcorotask.h>

namespace atende::server::whatsapp {

class SessionStore {
public:
    virtual ~SessionStore() = default;
    virtual QCoro::Task<core::Status> saveCredentials(const Credentials &credentials) = 0;
    // One-time prekeys about to be uploaded (private parts included).
    virtual QCoro::Task<core::Status> savePreKeys(const QList<PreKeyRecord> &preKeys) = 0;
    // Logged out / device removed: forget everything of this account.
    virtual QCoro::Task<core::Status> clear() = 0;
};

} // namespace atende::server::whatsapp
