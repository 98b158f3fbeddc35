#include "server/db/db_executor.h"
#include "server/db/db_log.h"
#include "server/db/query.h"

#include <QLoggingCategory>
#include <QSemaphore>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>
#include <QUuid>

#include <libpq-fe.h>

Q_LOGGING_CATEGORY(lcDb, "atende.server.db")

namespace atende::server::db {

// One thread, one connection. Lives in its own QThread; jobs arrive as queued calls.
class DbWorker : public QObject {
public:
    DbWorker(DbExecutor *owner, DbConfig config, int index)
        : m_owner(owner)
        , m_config(std::move(config))
        , m_name(QStringLiteral("atende-db-%1-%2").arg(index).arg(QUuid::createUuid().toString(QUuid::Id128)))
    {
        m_thread.setObjectName(QStringLiteral("db-worker-%1").arg(index));
    }

    ~DbWorker() override = default;

    void startThread()
    {
        moveToThread(&m_thread);
        m_thread.start();
    }

    // Runs on the worker thread.
    bool open()
    {
        QSqlDatabase db = QSqlDatabase::contains(m_name) ? QSqlDatabase::database(m_name, false)
                                                         : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        db.setHostName(m_config.host);
        db.setPort(m_config.port);
        db.setUserName(m_config.user);
        db.setPassword(m_config.password);
        db.setDatabaseName(m_config.database);
        QString opts = QStringLiteral("connect_timeout=5");
        if (!m_config.options.isEmpty())
            opts += QLatin1Char(';') + m_config.options;
        db.setConnectOptions(opts);
        if (!db.open()) {
            qCWarning(lcDb) << "connect failed:" << m_config.redacted() << db.lastError().text();
            return false;
        }
        m_db = db;
        m_statements.attach(m_db);
        return true;
    }

    void reopen()
    {
        m_statements.clear();
        if (m_db.isValid())
            m_db.close();
        m_owner->noteReconnect();
        // The server may still be starting up after a restart: try for a few seconds.
        for (int attempt = 0; attempt < 20; ++attempt) {
            if (open()) {
                qCInfo(lcDb) << "reconnected" << m_thread.objectName();
                return;
            }
            QThread::msleep(250);
        }
    }

    void execute(const std::function<void(QSqlDatabase &, bool, bool *)> &job)
    {
        ++m_busy;
        if (!m_db.isValid() || !m_db.isOpen() || DbExecutor::connectionBrokenStatic(m_db))
            reopen();
        bool retry = false;
        job(m_db, false, &retry);
        if (retry) {
            qCWarning(lcDb) << "connection lost during a call; reconnecting and running it again";
            reopen();
            job(m_db, true, &retry);
        }
        --m_busy;
    }

    void close()
    {
        m_statements.clear();
        if (m_db.isValid())
            m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }

    QThread m_thread;
    std::atomic<int> m_busy{0};

private:
    DbExecutor *m_owner;
    DbConfig m_config;
    QString m_name;
    QSqlDatabase m_db;
    StatementCache m_statements; // this connection's prepared statements (db::Query)
};

DbExecutor::DbExecutor(DbConfig config, int workers, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    workers = qMax(1, workers);
    for (int i = 0; i < workers; ++i)
        m_workers.push_back(std::make_unique<DbWorker>(this, m_config, i));
}

DbExecutor::~DbExecutor()
{
    stop();
}

atende::core::Status DbExecutor::start()
{
    if (m_started)
        return {};
    std::atomic<int> failures{0};
    QSemaphore done;
    for (auto &w : m_workers) {
        w->startThread();
        QMetaObject::invokeMethod(
            w.get(),
            [worker = w.get(), &failures, &done] {
                if (!worker->open())
                    ++failures;
                done.release();
            },
            Qt::QueuedConnection);
    }
    done.acquire(int(m_workers.size()));
    m_started = true;
    if (failures.load() > 0) {
        stop();
        return atende::core::Error::make(
            atende::core::errc::kUnavailable,
            QStringLiteral("could not connect to PostgreSQL at %1").arg(m_config.redacted()));
    }
    return {};
}

void DbExecutor::stop()
{
    if (!m_started)
        return;
    for (auto &w : m_workers) {
        QMetaObject::invokeMethod(
            w.get(), [worker = w.get()] { worker->close(); }, Qt::BlockingQueuedConnection);
        w->m_thread.quit();
        w->m_thread.wait();
    }
    m_started = false;
}

int DbExecutor::busyWorkers() const
{
    int n = 0;
    for (const auto &w : m_workers)
        n += w->m_busy.load() > 0 ? 1 : 0;
    return n;
}

int DbExecutor::pickWorker()
{
    // Prefer an idle worker; fall back to round robin.
    const unsigned start = m_next.fetch_add(1);
    const int n = int(m_workers.size());
    for (int i = 0; i < n; ++i) {
        const int idx = int((start + unsigned(i)) % unsigned(n));
        if (m_workers[size_t(idx)]->m_busy.load() == 0)
            return idx;
    }
    return int(start % unsigned(n));
}

void DbExecutor::post(int worker, Job job)
{
    DbWorker *w = m_workers[size_t(worker)].get();
    QMetaObject::invokeMethod(
        w, [w, job = std::move(job)] { w->execute(job); }, Qt::QueuedConnection);
}

bool DbExecutor::connectionBroken(QSqlDatabase &db)
{
    return connectionBrokenStatic(db);
}

bool DbExecutor::connectionBrokenStatic(QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return true;
    const QVariant h = db.driver()->handle();
    if (!h.isValid() || qstrcmp(h.typeName(), "PGconn*") != 0)
        return false;
    auto *conn = *static_cast<PGconn *const *>(h.data());
    return conn == nullptr || PQstatus(conn) != CONNECTION_OK;
}

} // namespace atende::server::db
