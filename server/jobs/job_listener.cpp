#include "server/jobs/job_listener.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QUuid>

#include <atomic>

Q_DECLARE_LOGGING_CATEGORY(lcJobs)

namespace atende::server::jobs {

// Lives on the listener thread; every method below runs there.
class ListenerConnection : public QObject {
public:
    ListenerConnection(JobListener *owner, db::DbConfig config, QString channel)
        : m_owner(owner)
        , m_config(std::move(config))
        , m_channel(std::move(channel))
        , m_name(QStringLiteral("atende-jobs-listen-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {}

    bool open(int healthCheckMs)
    {
        m_timer = new QTimer(this);
        m_timer->setInterval(healthCheckMs);
        QObject::connect(m_timer, &QTimer::timeout, this, [this] { check(); });
        m_timer->start();
        return connectAndListen();
    }

    void close()
    {
        delete m_timer;
        m_timer = nullptr;
        disconnectDb();
        m_listening = false;
    }

    bool listening() const { return m_listening.load(); }

private:
    bool connectAndListen()
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
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
            qCWarning(lcJobs) << "listener connect failed:" << m_config.redacted() << db.lastError().text();
            return false;
        }
        QSqlDriver *driver = db.driver();
        QObject::connect(driver, &QSqlDriver::notification, this,
                         [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                             if (name == m_channel)
                                 Q_EMIT m_owner->notified(payload.toString());
                         });
        if (!driver->subscribeToNotification(m_channel)) {
            qCWarning(lcJobs) << "LISTEN" << m_channel << "failed:" << driver->lastError().text();
            return false;
        }
        m_listening = true;
        return true;
    }

    void disconnectDb()
    {
        if (QSqlDatabase::contains(m_name)) {
            {
                QSqlDatabase db = QSqlDatabase::database(m_name, false);
                if (db.isOpen()) {
                    db.driver()->unsubscribeFromNotification(m_channel);
                    db.close();
                }
            }
            QSqlDatabase::removeDatabase(m_name);
        }
    }

    void check()
    {
        bool healthy = false;
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isOpen()) {
                QSqlQuery q(db);
                healthy = q.exec(QStringLiteral("SELECT 1"));
            }
        }
        if (healthy && listening())
            return;
        m_listening = false;
        disconnectDb();
        if (connectAndListen()) {
            qCInfo(lcJobs) << "listener reconnected to" << m_channel;
            Q_EMIT m_owner->notified(QString()); // whatever was sent while we were away is lost: poll now
        }
    }

    JobListener *m_owner;
    db::DbConfig m_config;
    QString m_channel;
    QString m_name;
    QTimer *m_timer = nullptr;
    std::atomic<bool> m_listening{false};
};

JobListener::JobListener(db::DbConfig config, QString channel, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_channel(std::move(channel))
{
    m_thread.setObjectName(QStringLiteral("atende-jobs-listen"));
}

JobListener::~JobListener()
{
    stop();
}

bool JobListener::start(int healthCheckMs)
{
    if (m_connection)
        return m_connection->listening();
    m_connection = new ListenerConnection(this, m_config, m_channel);
    m_connection->moveToThread(&m_thread);
    m_thread.start();
    bool ok = false;
    ListenerConnection *c = m_connection;
    QMetaObject::invokeMethod(
        c, [c, &ok, healthCheckMs] { ok = c->open(healthCheckMs); }, Qt::BlockingQueuedConnection);
    return ok;
}

void JobListener::stop()
{
    if (!m_connection)
        return;
    ListenerConnection *c = m_connection;
    QThread *home = thread();
    // Close on the connection's own thread, then hand the object back so it can be deleted here.
    QMetaObject::invokeMethod(
        c,
        [c, home] {
            c->close();
            c->moveToThread(home);
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete c;
    m_connection = nullptr;
}

bool JobListener::isListening() const
{
    return m_connection && m_connection->listening();
}

} // namespace atende::server::jobs
