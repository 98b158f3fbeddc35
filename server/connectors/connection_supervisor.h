#pragma once
// ConnectionSupervisor: runs the WhatsApp connections this instance owns (issue 5 items 3-5).
//
// Every instance scans for connections nobody owns (whatsapp_claimable), takes each with an advisory lock
// plus a lease (Ownership, on a dedicated one-connection DbExecutor, because advisory locks belong to a
// database session), runs one ConnectionRunner per owned connection and renews its leases every
// renewIntervalMs. An owner that cannot renew stops its runners before its lease ends (self-fencing); a dead
// owner's lock disappears with its session and its lease expires, so another instance takes over within
// leaseSeconds + scanIntervalMs (10 s + 2 s by default, under the 15 s asked for).
//
// Commands (pair, logout, delete) are rows in whatsapp_sessions written by whichever instance got the API
// request, announced with NOTIFY atende_connections: the owner reacts at once, and an unowned connection
// with a command becomes claimable, so the first instance to see it takes it and carries the command out.
// The periodic scan covers lost notifications.
//
// Runner state changes become health columns + connections.status + a connection_events row + a
// connection_changed event in one transaction (ConnectionStore::recordState), published after COMMIT.
// QR texts / pairing codes are stored encrypted while valid and sent as ephemeral events.

#include "common/core/result.h"
#include "server/connectors/connection_runner.h"
#include "server/connectors/ownership.h"
#include "server/db/db_config.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <qcoro/qcorotask.h>

#include <memory>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}
namespace atende::server::secrets {
class KeyStore;
}
namespace atende::server::jobs {
class JobListener;
}
namespace atende::server::accounts {
struct Outbox;
}

namespace atende::server::connectors {

struct SupervisorOptions {
    QString instanceId;
    int leaseSeconds = 10;
    int renewIntervalMs = 3000;
    int scanIntervalMs = 2000;
    int claimBatch = 50;
};

class ConnectionSupervisor : public QObject {
    Q_OBJECT
public:
    // factory may be empty: the instance then owns connections without running anything (tests of the
    // ownership alone).
    ConnectionSupervisor(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys, api::EventHub *hub,
                         SupervisorOptions options, RunnerFactory factory, QObject *parent = nullptr);
    ~ConnectionSupervisor() override;

    // Opens the lock session and the LISTEN connection, then scans.
    atende::core::Status start();
    // Stops every runner (state disconnected, reason "stopped"), releases every lease and lock. Blocking;
    // call before the DbExecutor stops. Idempotent.
    void stop();

    const QString &instanceId() const { return m_options.instanceId; }
    bool owns(const QUuid &connectionId) const { return m_owned.contains(connectionId); }
    int ownedCount() const { return int(m_owned.size()); }
    int countInState(const QString &state) const;
    qint64 reconnectsTotal() const;
    // Scan now instead of at the next tick.
    void scanSoon();

Q_SIGNALS:
    void ownershipChanged(QUuid tenantId, QUuid connectionId, bool owned);
    // After a state change was stored (tests, metrics).
    void stateRecorded(QUuid connectionId, QString state, QString reason);

private:
    struct Owned {
        OwnedKey key;
        std::unique_ptr<ConnectionRunner> runner;
        QString state = QStringLiteral("disconnected");
        QString pendingCodePhone; // pairing by code: asked for once the session awaits a QR
        bool converging = false;
        bool again = false;
    };

    QCoro::Task<> scan();
    QCoro::Task<> renew();
    void onNotify(const QString &payload);
    // Brings the owned connection in line with its row: commands, run or not, release.
    QCoro::Task<> converge(QUuid connectionId);
    QCoro::Task<> convergeOnce(QUuid connectionId);
    void startRunner(Owned &o, const QByteArray &credentials);
    QCoro::Task<> onRunnerState(QUuid connectionId, QString state, QString reason);
    QCoro::Task<> onRunnerSecret(QUuid connectionId, QString kind, QString value, qint64 validForMs);
    // Forgets the connection here; with release, gives the lease and lock back.
    QCoro::Task<> drop(QUuid connectionId, bool release);
    void dropAllLocally(const char *why);
    void publish(const accounts::Outbox &outbox);

    db::DbExecutor &m_db;
    std::unique_ptr<db::DbExecutor> m_lockDb;
    std::shared_ptr<secrets::KeyStore> m_keys;
    QPointer<api::EventHub> m_hub;
    SupervisorOptions m_options;
    RunnerFactory m_factory;
    std::unique_ptr<jobs::JobListener> m_listener;
    QHash<QUuid, Owned *> m_owned;
    QTimer m_scanTimer;
    QTimer m_renewTimer;
    QElapsedTimer m_lastRenewOk;
    qint64 m_lockReconnects = 0;
    bool m_scanning = false;
    bool m_scanAgain = false;
    bool m_renewing = false;
    bool m_started = false;
    bool m_stopped = false;
};

} // namespace atende::server::connectors
