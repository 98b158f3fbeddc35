#pragma once
// Keeps the event log bounded (issue 4 item 8): every `interval` it removes the events older than the
// retention (event_log_retention_hours). Several instances may run one; the SQL function takes an advisory
// lock, so one prunes at a time and the others skip that round.

#include "common/core/result.h"

#include <QObject>
#include <QTimer>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}

namespace atende::server::events {

class EventLogPruner : public QObject {
    Q_OBJECT
public:
    EventLogPruner(db::DbExecutor &db, int retentionHours, QObject *parent = nullptr);

    // First round after firstDelayMs, then every intervalMs.
    void start(int intervalMs = 10 * 60 * 1000, int firstDelayMs = 60 * 1000);
    void stop();
    // One round now: the rows removed, or -1 when another instance is pruning.
    QCoro::Task<atende::core::Result<qint64>> pruneNow();

private:
    db::DbExecutor &m_db;
    int m_retentionHours;
    QTimer m_timer;
    bool m_active = false;
};

} // namespace atende::server::events
