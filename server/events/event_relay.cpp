#include "server/events/event_relay.h"

#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/events/event_log.h"
#include "server/jobs/job_listener.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcEvents, "atende.server.events")

namespace atende::server::events {

namespace v1 = atende::api::v1;
using atende::core::Result;

namespace {

QString text(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QCoro::Task<Result<api::BacklogPage>> readBacklog(db::DbExecutor *db, QUuid tenantId, quint64 afterSeq, int limit)
{
    QFuture<Result<api::BacklogPage>> f = db->runTenant(tenantId, [tenantId, afterSeq, limit](QSqlDatabase &d) {
        return EventLog::page(d, tenantId, afterSeq, limit);
    });
    co_await db::Finished(f);
    co_return f.result();
}

} // namespace

EventRelay::EventRelay(db::DbExecutor &db, api::EventHub *hub, QString instanceId, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
    , m_instanceId(std::move(instanceId))
{}

EventRelay::~EventRelay()
{
    stop();
}

api::BacklogReader EventRelay::backlogReader(db::DbExecutor &db)
{
    db::DbExecutor *executor = &db;
    return [executor](QUuid tenantId, quint64 afterSeq, int limit) {
        return readBacklog(executor, tenantId, afterSeq, limit);
    };
}

bool EventRelay::start(int healthCheckMs)
{
    if (!m_stopped)
        return isListening();
    m_stopped = false;
    m_listener = std::make_unique<jobs::JobListener>(m_db.config(), QString::fromLatin1(kEventsChannel));
    connect(m_listener.get(), &jobs::JobListener::notified, this, &EventRelay::onNotification);
    if (m_hub) {
        api::EventPeers peers;
        peers.ephemeral = [this](const api::Audience &a, const v1::Event &e) {
            const std::string bytes = e.SerializeAsString();
            QJsonObject o{{QStringLiteral("o"), m_instanceId},
                          {QStringLiteral("k"), QStringLiteral("e")},
                          {QStringLiteral("t"), text(a.tenantId)},
                          {QStringLiteral("ev"),
                           QString::fromLatin1(QByteArray(bytes.data(), qsizetype(bytes.size())).toBase64())}};
            if (!a.permission.isEmpty())
                o.insert(QStringLiteral("p"), a.permission);
            if (!a.sectorId.isNull())
                o.insert(QStringLiteral("s"), text(a.sectorId));
            if (!a.userId.isNull())
                o.insert(QStringLiteral("u"), text(a.userId));
            if (!a.assigneeId.isNull())
                o.insert(QStringLiteral("a"), text(a.assigneeId));
            sendNotify(QJsonDocument(o).toJson(QJsonDocument::Compact));
        };
        peers.principal = [this](api::PrincipalChange change, QUuid tenantId, QUuid userId) {
            const QJsonObject o{{QStringLiteral("o"), m_instanceId},
                                {QStringLiteral("k"), change == api::PrincipalChange::CredentialsRevoked
                                                          ? QStringLiteral("r")
                                                          : QStringLiteral("p")},
                                {QStringLiteral("t"), text(tenantId)},
                                {QStringLiteral("u"), text(userId)}};
            sendNotify(QJsonDocument(o).toJson(QJsonDocument::Compact));
        };
        peers.fillGap = [this](QUuid tenantId, quint64, quint64 beforeSeq) {
            want(tenantId, beforeSeq - 1);
        };
        m_hub->setPeers(std::move(peers));
    }
    const bool ok = m_listener->start(healthCheckMs);
    m_aliveAt = QDateTime::currentDateTimeUtc();
    m_alive.setInterval(healthCheckMs);
    connect(&m_alive, &QTimer::timeout, this, [this] {
        if (isListening())
            m_aliveAt = QDateTime::currentDateTimeUtc();
    });
    m_alive.start();
    if (!ok)
        qCWarning(lcEvents) << "LISTEN" << kEventsChannel << "not open yet; retrying in the background";
    return ok;
}

void EventRelay::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_alive.stop();
    if (m_hub)
        m_hub->setPeers({});
    if (m_listener)
        m_listener->stop();
    m_listener.reset();
}

bool EventRelay::isListening() const
{
    return m_listener && m_listener->isListening();
}

void EventRelay::sendNotify(const QByteArray &json)
{
    if (m_stopped)
        return;
    if (json.size() > kMaxNotifyBytes) {
        qCWarning(lcEvents) << "an ephemeral event of" << json.size()
                            << "bytes is too large for NOTIFY; delivered on this instance only";
        return;
    }
    const QString payload = QString::fromUtf8(json);
    // Fire and forget: the change itself is committed; a lost notification only delays other instances
    // until the user's access token expires (the refresh is refused anyway). One worker for all of them,
    // so they leave in the order they were made.
    (void)m_db.runKeyed(0, [payload](QSqlDatabase &db) {
        db::Query q(db, QStringLiteral("SELECT pg_notify(?, ?)"));
        q.addBindValue(QString::fromLatin1(kEventsChannel));
        q.addBindValue(payload);
        if (!q.exec())
            qCWarning(lcEvents) << "NOTIFY to the other instances failed";
    });
}

void EventRelay::onNotification(const QString &payload)
{
    if (m_stopped || !m_hub)
        return;
    if (payload.isEmpty()) {
        onReconnected();
        return;
    }
    if (payload.startsWith(QLatin1Char('{'))) {
        onForeign(payload.toUtf8());
        return;
    }
    const qsizetype colon = payload.indexOf(QLatin1Char(':'));
    const QUuid tenantId = QUuid::fromString(QStringView(payload).left(colon));
    bool ok = false;
    const quint64 seq = colon > 0 ? payload.mid(colon + 1).toULongLong(&ok) : 0;
    if (tenantId.isNull() || !ok || seq == 0) {
        qCWarning(lcEvents) << "ignoring a malformed notification on" << kEventsChannel;
        return;
    }
    if (m_hub->alreadyDelivered(tenantId, seq)) {
        Q_EMIT relayed(tenantId, seq); // our own event, published right after COMMIT
        return;
    }
    want(tenantId, seq);
}

void EventRelay::onForeign(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.value(QStringLiteral("o")).toString() == m_instanceId)
        return; // sent by this instance, already applied here
    const QString kind = o.value(QStringLiteral("k")).toString();
    const QUuid tenantId = QUuid::fromString(o.value(QStringLiteral("t")).toString());
    if (tenantId.isNull())
        return;
    if (kind == QLatin1String("r") || kind == QLatin1String("p")) {
        const QUuid userId = QUuid::fromString(o.value(QStringLiteral("u")).toString());
        if (userId.isNull())
            return;
        m_hub->applyRemotePrincipalChange(kind == QLatin1String("r") ? api::PrincipalChange::CredentialsRevoked
                                                                     : api::PrincipalChange::Changed,
                                          tenantId, userId);
        return;
    }
    if (kind != QLatin1String("e"))
        return;
    const QByteArray bytes = QByteArray::fromBase64(o.value(QStringLiteral("ev")).toString().toLatin1());
    v1::Event event;
    if (!event.ParseFromArray(bytes.constData(), int(bytes.size())) || event.seq() != 0)
        return;
    api::Audience a;
    a.tenantId = tenantId;
    a.permission = o.value(QStringLiteral("p")).toString();
    a.sectorId = QUuid::fromString(o.value(QStringLiteral("s")).toString());
    a.userId = QUuid::fromString(o.value(QStringLiteral("u")).toString());
    a.assigneeId = QUuid::fromString(o.value(QStringLiteral("a")).toString());
    m_hub->publish(a, event); // seq 0: delivered here only, never forwarded again
}

void EventRelay::want(const QUuid &tenantId, quint64 upTo, quint64 fromIfUnknown)
{
    Fetch &f = m_fetch[tenantId];
    f.wanted = qMax(f.wanted, upTo);
    if (fromIfUnknown != 0)
        f.fromIfUnknown = f.fromIfUnknown == 0 ? fromIfUnknown : qMin(f.fromIfUnknown, fromIfUnknown);
    if (!f.running)
        fetchLoop(tenantId);
}

// Publishes the tenant's events up to m_fetch[tenantId].wanted that the hub has not delivered yet. One loop
// per tenant at a time; notifications arriving meanwhile only raise `wanted`.
QCoro::Task<> EventRelay::fetchLoop(QUuid tenantId)
{
    QPointer<EventRelay> self(this);
    m_fetch[tenantId].running = true;
    for (;;) {
        if (m_stopped || !m_hub)
            break;
        const Fetch f = m_fetch.value(tenantId);
        const quint64 upTo = f.wanted;
        quint64 after = m_hub->deliveredUpTo(tenantId);
        if (after == 0) // nothing of this tenant delivered here yet: start at the notified event
            after = f.fromIfUnknown != 0 ? f.fromIfUnknown - 1 : upTo - 1;
        if (after >= upTo)
            break;
        QFuture<Result<QList<api::LoggedEvent>>> rows =
            m_db.runTenant(tenantId, [tenantId, after, upTo](QSqlDatabase &d) {
                return EventLog::range(d, tenantId, after, upTo, kFetchBatch);
            });
        co_await db::Finished(rows);
        if (!self)
            co_return;
        if (m_stopped || !m_hub)
            break;
        const Result<QList<api::LoggedEvent>> r = rows.result();
        if (!r.ok()) {
            qCWarning(lcEvents).noquote() << "cannot read the event log:" << r.error().message;
            break;
        }
        for (const api::LoggedEvent &e : r.value())
            m_hub->publish(e.audience, e.event);
        if (r->size() >= kFetchBatch)
            continue;
        // Everything up to upTo is committed (its NOTIFY or its publish came after COMMIT), so what the log
        // does not have does not exist: do not wait for it.
        m_hub->skipGap(tenantId, upTo);
        Q_EMIT relayed(tenantId, upTo);
        if (m_fetch.value(tenantId).wanted <= upTo)
            break;
    }
    if (self)
        m_fetch.remove(tenantId);
}

void EventRelay::onReconnected()
{
    // Notifications sent while the connection was down are lost; the margin covers clock differences
    // between this host and the database.
    const QDateTime since = m_aliveAt.addSecs(-120);
    qCInfo(lcEvents) << "LISTEN connection is back; catching up on events since" << since.toString(Qt::ISODate);
    catchUp(since);
}

QCoro::Task<> EventRelay::catchUp(QDateTime since)
{
    QPointer<EventRelay> self(this);
    QFuture<Result<QList<EventLog::TenantRange>>> f =
        m_db.run([since](QSqlDatabase &d) { return EventLog::tenantsSince(d, since); });
    co_await db::Finished(f);
    if (!self || m_stopped)
        co_return;
    const Result<QList<EventLog::TenantRange>> r = f.result();
    if (!r.ok()) {
        qCWarning(lcEvents).noquote() << "cannot catch up on the event log:" << r.error().message;
        co_return;
    }
    for (const EventLog::TenantRange &t : r.value())
        want(t.tenantId, t.lastSeq, t.firstSeq);
}

} // namespace atende::server::events
