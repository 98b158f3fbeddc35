#pragma once
// whatsapp::SessionStore on PostgreSQL for one connection: credentials and one-time prekeys encrypted with
// the tenant's data key (ConnectionStore). Every call completes once the transaction committed, and is
// fenced by ownership: after this instance lost the connection, writes fail with conflict/not_owner instead
// of overwriting what the new owner stored.

#include "server/whatsapp/session_store.h"

#include <QUuid>

#include <memory>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::secrets {
class KeyStore;
}

namespace atende::server::connectors {

class PgSessionStore : public whatsapp::SessionStore {
public:
    PgSessionStore(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys, QUuid tenantId, QUuid connectionId,
                   QString instanceId);

    QCoro::Task<atende::core::Status> saveCredentials(const whatsapp::Credentials &credentials) override;
    QCoro::Task<atende::core::Status> savePreKeys(const QList<whatsapp::PreKeyRecord> &preKeys) override;
    QCoro::Task<atende::core::Status> clear() override;

    // The stored credentials (not_found when none), for a restart.
    QCoro::Task<atende::core::Result<whatsapp::Credentials>> loadCredentials();

private:
    db::DbExecutor &m_db;
    std::shared_ptr<secrets::KeyStore> m_keys;
    QUuid m_tenantId;
    QUuid m_connectionId;
    QString m_instanceId;
};

} // namespace atende::server::connectors
