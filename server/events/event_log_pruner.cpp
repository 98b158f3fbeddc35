#include "server/events/event_log_pruner.h"

#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/events/event_log.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcEvents)

namespace atende::server::events {

using atende::core::Result;

EventLogPruner::EventLogPruner(db::DbExecutor &db, int retentionHours, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_retentionHours(retentionHours)
{
    connect(&m_timer, &QTimer::timeout, this, [this] { pruneNow(); });
}

void EventLogPruner::start(int intervalMs, int firstDelayMs)
{
    m_active = true;
    QTimer::singleShot(firstDelayMs, this, [this, intervalMs] {
        if (!m_active || m_timer.isActive())
            return;
        pruneNow();
        m_timer.start(intervalMs);
    });
}

void EventLogPruner::stop()
{
    m_active = false;
    m_timer.stop();
}

QCoro::Task<Result<qint64>> EventLogPruner::pruneNow()
{
    QPointer<EventLogPruner> self(this);
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-qint64(m_retentionHours) * 3600);
    QFuture<Result<qint64>> f = m_db.run([before](QSqlDatabase &d) { return EventLog::prune(d, before); });
    co_await db::Finished(f);
    Result<qint64> r = f.result();
    if (!self)
        co_return r;
    if (!r.ok())
        qCWarning(lcEvents).noquote() << "pruning the event log failed:" << r.error().message;
    else if (r.value() > 0)
        qCInfo(lcEvents) << "pruned" << r.value() << "events older than" << m_retentionHours << "hours";
    co_return r;
}

} // namespace atende::server::events
