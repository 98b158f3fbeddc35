#pragma once
// JobListener: LISTEN on a PostgreSQL channel (atende_jobs) through a dedicated QPSQL connection on a thread
// of its own. QtSql connections are thread-affine and QPSQL delivers notifications through a QSocketNotifier
// (TOOLCHAIN.md pitfalls 18 and 20), so the connection is opened, subscribed, health-checked and closed on
// that thread, whose event loop runs the notifier. notified() is emitted from the listener thread; connect
// it with the default (auto) connection to a receiver on another thread and it arrives queued.
//
// The connection is checked every few seconds; when it broke it is reopened and resubscribed, and notified()
// is emitted once with an empty payload because notifications sent meanwhile are lost. The worker's poll
// timer covers that window.

#include "server/db/db_config.h"

#include <QObject>
#include <QString>
#include <QThread>

namespace atende::server::jobs {

class ListenerConnection;

class JobListener : public QObject {
    Q_OBJECT
public:
    JobListener(db::DbConfig config, QString channel, QObject *parent = nullptr);
    ~JobListener() override;

    // Starts the thread and subscribes; blocks until the connection is open and LISTENing (true) or failed
    // (false; the thread keeps retrying in the background).
    bool start(int healthCheckMs = 5000);
    // Unsubscribes, closes the connection (removing it from QSqlDatabase's registry on its own thread) and
    // joins the thread. Idempotent.
    void stop();

    bool isListening() const;

Q_SIGNALS:
    void notified(const QString &payload);

private:
    db::DbConfig m_config;
    QString m_channel;
    QThread m_thread;
    ListenerConnection *m_connection = nullptr;
};

} // namespace atende::server::jobs
