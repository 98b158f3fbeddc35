#pragma once
// SQL on whatsapp_sessions, whatsapp_prekeys and connection_events (migration 0014) for one connection.
// Every function runs inside runTenant() for the connection's tenant, so RLS applies. Secrets go through
// secrets::KeyStore (tenant data key, one purpose per column); nothing here ever writes plaintext key
// material. Writes by a running session are fenced: they only touch the row while `instanceId` owns it, so
// an instance that lost its lease cannot overwrite what the new owner wrote.

#include "common/core/result.h"
#include "server/accounts/change_log.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QUuid>

namespace atende::server::secrets {
class KeyStore;
}

namespace atende::server::connectors {

struct SessionRow {
    QUuid tenantId;
    QUuid connectionId;
    QString kind; // of the connection
    bool connectionDeleted = false;
    bool exists = false; // a whatsapp_sessions row exists
    bool wanted = false;
    bool needsPairing = true;
    bool paired = false;
    QByteArray credentials; // decrypted (only when asked for); empty = none stored
    QString state = QStringLiteral("disconnected");
    QString reason;
    QDateTime since;
    QDateTime lastFrameAt;
    QDateTime connectedAt;
    int reconnects = 0;
    QString owner;
    qint64 commandSeq = 0;
    qint64 commandDoneSeq = 0;
    QString command; // "" | "pair" | "logout"
    QString pairingMethod;
    QString pairingPhone;
};

struct StateChange {
    QString state;
    QString reason;
    QDateTime lastFrameAt;
    QDateTime connectedAt;
    int reconnects = 0;
};

struct PreKeyBlob {
    quint32 id = 0;
    QByteArray keyPair; // plaintext private ‖ public, encrypted by the store
};

struct PairingSecret {
    QString kind; // "" | "qr" | "code"
    QString value;
    QDateTime validUntil;
};

struct StateEventRow {
    qint64 id = 0;
    QDateTime at;
    QString state;
    QString reason;
    QString instanceId;
};

// The DbExecutor key of every write for one connection (runTenantKeyed): one worker, so the state changes
// of a session are stored (and their events numbered) in the order the session reported them.
inline quint64 writeKey(const QUuid &connectionId)
{
    return quint64(qHash(connectionId));
}

class ConnectionStore {
public:
    // not_found when the connection does not exist for the tenant (deleted ones are returned, flagged).
    static atende::core::Result<SessionRow> load(QSqlDatabase &db, secrets::KeyStore *keys, const QUuid &tenantId,
                                                 const QUuid &connectionId, bool forUpdate = false);
    // Creates the whatsapp_sessions row when missing.
    static atende::core::Status ensureRow(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId);

    static atende::core::Status saveCredentials(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                                const QUuid &connectionId, const QString &instanceId,
                                                const QByteArray &serialized, bool paired);
    static atende::core::Status savePreKeys(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                            const QUuid &connectionId, const QString &instanceId,
                                            const QList<PreKeyBlob> &preKeys);
    static atende::core::Result<QList<PreKeyBlob>> loadPreKeys(QSqlDatabase &db, secrets::KeyStore &keys,
                                                               const QUuid &tenantId, const QUuid &connectionId);
    // Forgets credentials and prekeys (logged out / device removed).
    static atende::core::Status clear(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                      const QString &instanceId);

    // One state change: health columns, connections.status, a connection_events row and a connection_changed
    // event (plus a connection_needs_pairing notice for logged_out) in the caller's transaction. Returns
    // not_owner when the row is not owned by instanceId.
    static atende::core::Status recordState(QSqlDatabase &db, accounts::Outbox &outbox, const QUuid &tenantId,
                                            const QUuid &connectionId, const QString &instanceId,
                                            const StateChange &change);

    static atende::core::Status markCommandDone(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                                qint64 seq);
    // Stores (or with an empty kind clears) the current QR text / pairing code, encrypted.
    static atende::core::Status setPairingSecret(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                                 const QUuid &connectionId, const QString &instanceId,
                                                 const PairingSecret &secret);
    static atende::core::Result<PairingSecret> pairingSecret(QSqlDatabase &db, secrets::KeyStore &keys,
                                                             const QUuid &tenantId, const QUuid &connectionId);
    // Newest first, id < beforeId (0 = from the newest).
    static atende::core::Result<QList<StateEventRow>> events(QSqlDatabase &db, const QUuid &tenantId,
                                                             const QUuid &connectionId, qint64 beforeId, int limit);
};

} // namespace atende::server::connectors
