#pragma once
// signal::SignalStore on PostgreSQL for one WhatsApp connection (migration 0016): session records, peer
// identities and sender keys, each encrypted with the tenant's data key exactly like PgSessionStore's
// secrets (KeyStore::encryptFor), with associated data naming the table, the connection and the record's
// key, so a blob moved to another row, connection or tenant does not decrypt. One-time prekeys are the
// Session's (whatsapp_prekeys, written by PgSessionStore): load() reads them, flush() deletes the ones a
// pkmsg consumed.
//
// flush() is one transaction and, like every PgSessionStore write, fenced by ownership: after this instance
// lost the connection it fails with conflict/not_owner and writes nothing. Writes go through the
// connection's write key (writeKey()), so they are ordered with the session store's writes.

#include "server/signal/signal_store.h"

#include <QSqlDatabase>
#include <QUuid>

#include <memory>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::secrets {
class KeyStore;
}

namespace atende::server::connectors {

class PgSignalStore : public signal::SignalStore {
public:
    PgSignalStore(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys, QUuid tenantId, QUuid connectionId,
                  QString instanceId);

    QCoro::Task<atende::core::Result<signal::SignalSnapshot>> load() override;
    QCoro::Task<atende::core::Status> flush(signal::SignalChanges changes) override;
    QCoro::Task<atende::core::Status> clear() override;

    // The transaction bodies, for runTenant(tenantId, ...).
    static atende::core::Result<signal::SignalSnapshot> loadIn(QSqlDatabase &db, secrets::KeyStore &keys,
                                                               const QUuid &tenantId, const QUuid &connectionId);
    static atende::core::Status flushIn(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                        const QUuid &connectionId, const QString &instanceId,
                                        const signal::SignalChanges &changes);
    // Not fenced: a logout by the owner or the cleanup of a removed device may run on any instance.
    static atende::core::Status clearIn(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId);

private:
    db::DbExecutor &m_db;
    std::shared_ptr<secrets::KeyStore> m_keys;
    QUuid m_tenantId;
    QUuid m_connectionId;
    QString m_instanceId;
};

} // namespace atende::server::connectors
