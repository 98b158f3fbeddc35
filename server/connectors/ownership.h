#pragma once
// The SQL of connection ownership (migration 0014), run on the supervisor's dedicated database session:
// advisory locks are held by a session, so every call here must use the same connection for as long as the
// instance owns anything (ConnectionSupervisor keeps a one-worker DbExecutor for it). Cross-tenant reads
// and the lease updates go through the SECURITY DEFINER functions as atende_app (SET LOCAL ROLE), the same
// sanctioned path as the job queue's jobs_claim().

#include "common/core/result.h"

#include <QList>
#include <QSqlDatabase>
#include <QUuid>

namespace atende::server::connectors {

struct OwnedKey {
    QUuid tenantId;
    QUuid connectionId;
    qint64 lockKey = 0;
    friend bool operator==(const OwnedKey &a, const OwnedKey &b)
    {
        return a.tenantId == b.tenantId && a.connectionId == b.connectionId;
    }
};

class Ownership {
public:
    // Connections this instance may try to take (free, expired, or already leased to it).
    static atende::core::Result<QList<OwnedKey>> claimable(QSqlDatabase &db, const QString &instanceId, int limit);
    // Takes the advisory lock, then the lease; gives the lock back when the lease is not free. True = owned.
    static atende::core::Result<bool> claim(QSqlDatabase &db, const OwnedKey &key, const QString &instanceId,
                                            int leaseSeconds);
    // Renews every lease of the instance; returns what it still owns.
    static atende::core::Result<QList<OwnedKey>> renew(QSqlDatabase &db, const QString &instanceId, int leaseSeconds);
    // Clears the lease (when still ours) and drops the advisory lock.
    static atende::core::Status release(QSqlDatabase &db, const OwnedKey &key, const QString &instanceId);
    // Drops the advisory lock only (the lease was lost or will expire).
    static atende::core::Status unlock(QSqlDatabase &db, const OwnedKey &key);
    static atende::core::Status heartbeat(QSqlDatabase &db, const QUuid &instance, const QString &hostname,
                                          const QString &version);
};

} // namespace atende::server::connectors
