#pragma once
// EventRelay: carries events between the server instances of one database (issue 4 item 8) through
// PostgreSQL LISTEN/NOTIFY on the channel atende_events, over a dedicated LISTEN connection
// (jobs::JobListener: its own thread, health-checked, reopened when it broke).
//
//  - Stored events: EventLog::append() queues NOTIFY '<tenant>:<seq>' in the writing transaction. On a
//    notification the relay reads the tenant's events after the last seq the local EventHub delivered, up
//    to that seq, and publishes them; the hub drops what it already delivered (this instance's own events,
//    published right after COMMIT) and keeps the order. The hub's fillGap hook uses the same path.
//  - Ephemeral events (EventHub::publishEphemeral) and principal changes (role, active flag, sectors;
//    revoked credentials) made here are sent as a JSON NOTIFY with this instance's id, and applied by the
//    others only (never forwarded again): they revoke the user's access tokens and re-check the user's
//    WebSocket sessions at once.
//  - When the LISTEN connection came back after a break, notifications sent meanwhile are lost: the relay
//    asks the log which tenants got events since shortly before the break and catches up on each.
//
// Lives on the main thread; the database work runs on the DbExecutor.

#include "server/api/event_backlog.h"
#include "server/api/event_hub.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUuid>
#include <qcoro/qcorotask.h>

#include <memory>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::jobs {
class JobListener;
}

namespace atende::server::events {

class EventRelay : public QObject {
    Q_OBJECT
public:
    // NOTIFY payloads are limited to 8000 bytes; larger ephemeral events stay on this instance.
    static constexpr int kMaxNotifyBytes = 7900;
    static constexpr int kFetchBatch = 500;

    EventRelay(db::DbExecutor &db, api::EventHub *hub, QString instanceId, QObject *parent = nullptr);
    ~EventRelay() override;

    // Opens the LISTEN connection (checked every healthCheckMs) and hooks into the hub. False when the
    // connection could not be opened yet (it keeps retrying; events then arrive after it is back).
    bool start(int healthCheckMs = 3000);
    // Unhooks from the hub and closes the LISTEN connection. Call before the DbExecutor stops. Idempotent.
    void stop();
    bool isListening() const;

    // For WsSessionOptions::backlog: reads pages of the event log for sync.resume.
    static api::BacklogReader backlogReader(db::DbExecutor &db);

Q_SIGNALS:
    // After a notification was handled (for tests and metrics).
    void relayed(QUuid tenantId, quint64 seq);

private:
    void onNotification(const QString &payload);
    void onForeign(const QByteArray &json);
    void onReconnected();
    void want(const QUuid &tenantId, quint64 upTo, quint64 fromIfUnknown = 0);
    QCoro::Task<> fetchLoop(QUuid tenantId);
    QCoro::Task<> catchUp(QDateTime since);
    void sendNotify(const QByteArray &json);

    struct Fetch {
        quint64 wanted = 0;
        quint64 fromIfUnknown = 0;
        bool running = false;
    };

    db::DbExecutor &m_db;
    QPointer<api::EventHub> m_hub;
    QString m_instanceId;
    std::unique_ptr<jobs::JobListener> m_listener;
    QHash<QUuid, Fetch> m_fetch;
    QTimer m_alive;
    QDateTime m_aliveAt; // the last time the LISTEN connection was known to be up
    bool m_stopped = true;
};

} // namespace atende::server::events
