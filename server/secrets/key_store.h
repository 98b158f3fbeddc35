#pragma once
// KeyStore: the master key and the per-tenant data keys (ARCHITECTURE.md decision 5). One shared instance
// per process, thread-safe, used from DbExecutor workers.
//
// tenantKey() returns the tenant's data key from tenant_keys, creating it on first use (wrapped by the
// master key; INSERT ... ON CONFLICT DO NOTHING, then read, so concurrent first uses on any instance agree
// on one key). Call it inside runTenant(): the row is tenant-owned and RLS applies. Unwrapped keys are
// cached in memory; a key created by the calling transaction is cached only once it has been read back
// committed, so a rolled-back creation never leaves a key in the cache that the database does not hold.
//
// encryptFor()/decryptFor() use Envelope with associated data "<tenant id>/<purpose>", so a ciphertext
// copied to another tenant (or used for another purpose) does not decrypt. Use a purpose per column,
// e.g. "whatsapp_sessions/noise_key".
//
// open() is the start-up entry: loads the master key, creates the platform data key on first run and
// refuses (errc::kMasterKeyMismatch) when platform_keys or tenant_keys hold keys wrapped by another master
// key. Call it on a worker as the owner role, outside any transaction:
//     auto store = executor.run([source](QSqlDatabase &db) { return KeyStore::open(source, db); }).result();

#include "common/core/result.h"
#include "server/secrets/master_key_source.h"
#include "server/security/data_key.h"
#include "server/security/master_key.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QMutex>
#include <QSqlDatabase>
#include <QStringView>
#include <QUuid>

#include <map>
#include <memory>

namespace atende::server::secrets {

class KeyStore {
public:
    static atende::core::Result<std::shared_ptr<KeyStore>> open(const MasterKeySource &source, QSqlDatabase &db);
    static atende::core::Result<std::shared_ptr<KeyStore>> open(security::MasterKey master, QSqlDatabase &db);

    explicit KeyStore(security::MasterKey master);
    KeyStore(const KeyStore &) = delete;
    KeyStore &operator=(const KeyStore &) = delete;

    const security::MasterKey &masterKey() const { return m_master; }

    // Inside runTenant(tenant, ...).
    atende::core::Result<security::DataKey> tenantKey(QSqlDatabase &db, const QUuid &tenant);
    atende::core::Result<QByteArray> encryptFor(QSqlDatabase &db, const QUuid &tenant, QByteArrayView plaintext,
                                                QStringView purpose);
    atende::core::Result<QByteArray> decryptFor(QSqlDatabase &db, const QUuid &tenant, QByteArrayView ciphertext,
                                                QStringView purpose);

    // "<tenant id>/<purpose>", the associated data of encryptFor()/decryptFor().
    static QByteArray associatedData(const QUuid &tenant, QStringView purpose);

    // Drops the cached data keys (tests; after a manual repair of tenant_keys).
    void clearCache();

private:
    // Start-up check: the platform key and any tenant key visible to this role open with m_master.
    atende::core::Status verify(QSqlDatabase &db) const;

    const security::MasterKey m_master;
    QMutex m_mutex;
    std::map<QUuid, security::DataKey> m_cache;
};

} // namespace atende::server::secrets
