// ConnectionSupervisor: lifecycle, scanning, leases.

#include "server/connectors/connection_supervisor.h"

#include "common/core/version.h"
#include "server/accounts/change_log.h"
#include "server/api/event_hub.h"
#include "server/connectors/connection_store.h"
#include "server/connectors/logging.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/jobs/job_listener.h"

#include <QHostInfo>
#include <QSet>

namespace atende::server::connectors {

using atende::core::Result;
using atende::core::Status;
using db::Finished;

namespace {

// server_instances is keyed by uuid; an instance id that is not one (--instance-id=node-a) maps to a
// stable name-based uuid.
QUuid instanceUuid(const QString &instanceId)
{
    const QUuid parsed = QUuid::fromString(instanceId);
    return parsed.isNull() ? QUuid::createUuidV5(QUuid(), instanceId) : parsed;
}

} // namespace

ConnectionSupervisor::ConnectionSupervisor(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys,
                                           api::EventHub *hub, SupervisorOptions options, RunnerFactory factory,
                                           QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_keys(std::move(keys))
    , m_hub(hub)
    , m_options(std::move(options))
    , m_factory(std::move(factory))
{
    m_scanTimer.setInterval(m_options.scanIntervalMs);
    m_renewTimer.setInterval(m_options.renewIntervalMs);
    connect(&m_scanTimer, &QTimer::timeout, this, [this] { scan(); });
    connect(&m_renewTimer, &QTimer::timeout, this, [this] { renew(); });
}

ConnectionSupervisor::~ConnectionSupervisor()
{
    stop();
}

Status ConnectionSupervisor::start()
{
    if (m_started)
        return {};
    m_started = true;
    m_stopped = false;
    // One worker = one database session: it holds the advisory locks for as long as we own anything.
    m_lockDb = std::make_unique<db::DbExecutor>(m_db.config(), 1);
    if (Status st = m_lockDb->start(); !st.ok())
        return st;
    m_lockReconnects = m_lockDb->reconnects();
    m_lastRenewOk.start();
    m_listener = std::make_unique<jobs::JobListener>(m_db.config(), QStringLiteral("atende_connections"));
    connect(m_listener.get(), &jobs::JobListener::notified, this, &ConnectionSupervisor::onNotify);
    m_listener->start();
    m_scanTimer.start();
    m_renewTimer.start();
    renew(); // heartbeat at once
    scan();
    qCInfo(lcConnectors).noquote() << "connection supervisor started, instance" << m_options.instanceId;
    return {};
}

void ConnectionSupervisor::stop()
{
    if (!m_started || m_stopped)
        return;
    m_stopped = true;
    m_scanTimer.stop();
    m_renewTimer.stop();
    if (m_listener)
        m_listener->stop();
    const QList<QUuid> ids = m_owned.keys();
    for (const QUuid &id : ids) {
        Owned *o = m_owned.take(id);
        if (o->runner) {
            o->runner->disconnect(this);
            o->runner->stop();
        }
        // Blocking on purpose: shutdown must record and release before the database goes away.
        const QString instance = m_options.instanceId;
        const OwnedKey key = o->key;
        StateChange change;
        change.state = QStringLiteral("disconnected");
        change.reason = QStringLiteral("stopped");
        if (o->runner) {
            const RunnerHealth h = o->runner->health();
            change.lastFrameAt = h.lastFrameAt;
            change.reconnects = h.reconnects;
        }
        if (o->runner) {
            Result<accounts::Outbox> r =
                m_db.runTenantKeyed(writeKey(key.connectionId), key.tenantId,
                                    [key, instance, change](QSqlDatabase &d) -> Result<accounts::Outbox> {
                                        accounts::Outbox outbox;
                                        if (Status s = ConnectionStore::recordState(d, outbox, key.tenantId,
                                                                                    key.connectionId, instance, change);
                                            !s.ok())
                                            return s.error();
                                        return outbox;
                                    })
                    .result();
            if (r.ok())
                publish(r.value());
        }
        Status released =
            m_lockDb->run([key, instance](QSqlDatabase &d) { return Ownership::release(d, key, instance); }).result();
        if (!released.ok())
            qCWarning(lcConnectors).noquote() << "releasing" << key.connectionId.toString(QUuid::WithoutBraces)
                                              << "failed:" << released.error().message;
        Q_EMIT ownershipChanged(key.tenantId, key.connectionId, false);
        delete o;
    }
    if (m_lockDb)
        m_lockDb->stop(); // closing the session drops any lock left
    qCInfo(lcConnectors) << "connection supervisor stopped";
}

int ConnectionSupervisor::countInState(const QString &state) const
{
    int n = 0;
    for (const Owned *o : m_owned)
        n += o->state == state ? 1 : 0;
    return n;
}

qint64 ConnectionSupervisor::reconnectsTotal() const
{
    qint64 n = 0;
    for (const Owned *o : m_owned)
        n += o->runner ? o->runner->health().reconnects : 0;
    return n;
}

void ConnectionSupervisor::scanSoon()
{
    if (!m_stopped && m_started)
        scan();
}

void ConnectionSupervisor::onNotify(const QString &payload)
{
    const QStringList parts = payload.split(QLatin1Char(':'));
    const QUuid connectionId = parts.size() == 2 ? QUuid::fromString(parts.at(1)) : QUuid();
    if (!connectionId.isNull() && m_owned.contains(connectionId))
        converge(connectionId);
    else
        scanSoon();
}

QCoro::Task<> ConnectionSupervisor::scan()
{
    if (m_stopped || !m_lockDb)
        co_return;
    if (m_scanning) {
        m_scanAgain = true;
        co_return;
    }
    m_scanning = true;
    QPointer<ConnectionSupervisor> self(this);
    do {
        m_scanAgain = false;
        const QString instance = m_options.instanceId;
        const int lease = m_options.leaseSeconds;
        const int batch = m_options.claimBatch;
        QList<QUuid> mine = m_owned.keys();
        QFuture<Result<QList<OwnedKey>>> f = m_lockDb->run([instance, lease, batch, mine](QSqlDatabase &d) {
            Result<QList<OwnedKey>> candidates = Ownership::claimable(d, instance, batch);
            if (!candidates.ok())
                return candidates;
            QList<OwnedKey> claimed;
            for (const OwnedKey &k : candidates.value()) {
                if (mine.contains(k.connectionId))
                    continue; // ours already: the advisory lock must not be taken twice
                Result<bool> got = Ownership::claim(d, k, instance, lease);
                if (got.ok() && got.value())
                    claimed.append(k);
            }
            return Result<QList<OwnedKey>>(claimed);
        });
        co_await Finished(f);
        if (!self || m_stopped)
            co_return;
        Result<QList<OwnedKey>> r = f.result();
        if (!r.ok()) {
            qCWarning(lcConnectors).noquote() << "scan failed:" << r.error().message;
            break;
        }
        for (const OwnedKey &k : r.value()) {
            auto *o = new Owned;
            o->key = k;
            m_owned.insert(k.connectionId, o);
            qCInfo(lcConnectors).noquote() << "took connection" << k.connectionId.toString(QUuid::WithoutBraces);
            Q_EMIT ownershipChanged(k.tenantId, k.connectionId, true);
            converge(k.connectionId);
        }
    } while (m_scanAgain && !m_stopped);
    m_scanning = false;
}

QCoro::Task<> ConnectionSupervisor::renew()
{
    if (m_stopped || !m_lockDb || m_renewing)
        co_return;
    m_renewing = true;
    QPointer<ConnectionSupervisor> self(this);
    const QString instance = m_options.instanceId;
    const int lease = m_options.leaseSeconds;
    const QUuid uuid = instanceUuid(instance);
    const QString host = QHostInfo::localHostName();
    const QString version = atende::core::versionString();
    QFuture<Result<QList<OwnedKey>>> f = m_lockDb->run([instance, lease, uuid, host, version](QSqlDatabase &d) {
        if (Status s = Ownership::heartbeat(d, uuid, host, version); !s.ok())
            return Result<QList<OwnedKey>>(s.error());
        return Ownership::renew(d, instance, lease);
    });
    co_await Finished(f);
    if (!self || m_stopped)
        co_return;
    m_renewing = false;
    Result<QList<OwnedKey>> r = f.result();
    if (m_lockDb->reconnects() != m_lockReconnects) {
        // The lock session was reopened: every advisory lock went with the old one.
        m_lockReconnects = m_lockDb->reconnects();
        dropAllLocally("the lock session was reconnected");
        scanSoon();
        co_return;
    }
    if (!r.ok()) {
        // Self-fencing: stop before the lease can run out under us, so a new owner never overlaps.
        if (m_lastRenewOk.elapsed() > qint64(m_options.leaseSeconds) * 1000 - 2 * m_options.renewIntervalMs / 3)
            dropAllLocally("leases could not be renewed");
        co_return;
    }
    m_lastRenewOk.start();
    QSet<QUuid> still;
    for (const OwnedKey &k : r.value())
        still.insert(k.connectionId);
    const QList<QUuid> ids = m_owned.keys();
    for (const QUuid &id : ids) {
        if (!still.contains(id)) {
            qCWarning(lcConnectors).noquote() << "lost connection" << id.toString(QUuid::WithoutBraces);
            drop(id, false);
        }
    }
}

void ConnectionSupervisor::dropAllLocally(const char *why)
{
    if (m_owned.isEmpty())
        return;
    qCWarning(lcConnectors) << "stopping" << m_owned.size() << "connections:" << why;
    const QList<QUuid> ids = m_owned.keys();
    for (const QUuid &id : ids)
        drop(id, false);
}

QCoro::Task<> ConnectionSupervisor::drop(QUuid connectionId, bool release)
{
    Owned *o = m_owned.take(connectionId);
    if (!o)
        co_return;
    if (o->runner) {
        o->runner->disconnect(this);
        o->runner->stop();
        o->runner.release()->deleteLater(); // we may be inside one of its signals
    }
    const OwnedKey key = o->key;
    delete o;
    Q_EMIT ownershipChanged(key.tenantId, key.connectionId, false);
    if (!m_lockDb)
        co_return;
    QPointer<ConnectionSupervisor> self(this);
    const QString instance = m_options.instanceId;
    // Without release the lease stays to expire (it may be someone else's already); the lock goes either way
    // so that a later claim by this instance does not stack a second hold on it.
    QFuture<Status> f = m_lockDb->run([key, instance, release](QSqlDatabase &d) {
        return release ? Ownership::release(d, key, instance) : Ownership::unlock(d, key);
    });
    co_await Finished(f);
    if (!self)
        co_return;
    if (Status s = f.result(); !s.ok())
        qCWarning(lcConnectors).noquote() << "release failed:" << s.error().message;
}

void ConnectionSupervisor::publish(const accounts::Outbox &outbox)
{
    if (!m_hub)
        return;
    for (const accounts::PendingEvent &e : outbox.events)
        m_hub->publish(e.audience, e.event);
}

} // namespace atende::server::connectors
