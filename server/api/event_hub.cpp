#include "server/api/event_hub.h"

#include "server/api/permissions.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

namespace atende::server::api {

bool mayReceive(const Subscriber &s, const Audience &a)
{
    if (a.tenantId.isNull() || s.tenantId != a.tenantId)
        return false;
    if (!a.permission.isEmpty() && !s.permissions.contains(a.permission))
        return false;
    if (!a.userId.isNull() && s.userId != a.userId)
        return false;
    if (!a.sectorId.isNull() && !s.sectorIds.contains(a.sectorId) &&
        !s.permissions.contains(QLatin1String(perm::kTicketsSupervise)) &&
        (a.assigneeId.isNull() || s.userId != a.assigneeId))
        return false;
    return true;
}

EventHub::EventHub(QObject *parent)
    : QObject(parent)
{
    m_gapTimer.setInterval(kGapWaitMs / 4);
    connect(&m_gapTimer, &QTimer::timeout, this, [this] { releaseStale(); });
}

quint64 EventHub::add(Subscriber subscriber)
{
    const quint64 handle = m_next++;
    m_subscribers.insert(handle, std::move(subscriber));
    return handle;
}

void EventHub::update(quint64 handle, Subscriber subscriber)
{
    if (m_subscribers.contains(handle))
        m_subscribers.insert(handle, std::move(subscriber));
}

void EventHub::remove(quint64 handle)
{
    m_subscribers.remove(handle);
}

int EventHub::deliver(const Audience &audience, const atende::api::v1::Event &event)
{
    int delivered = 0;
    // Copy the callbacks first: a delivery may close a session, which removes its subscriber.
    QList<std::function<void(const atende::api::v1::Event &)>> targets;
    for (const Subscriber &s : std::as_const(m_subscribers))
        if (mayReceive(s, audience))
            targets.append(s.deliver);
    for (const auto &deliver : std::as_const(targets)) {
        deliver(event);
        ++delivered;
    }
    return delivered;
}

int EventHub::publish(const Audience &audience, const atende::api::v1::Event &event)
{
    const quint64 seq = event.seq();
    if (seq == 0 || audience.tenantId.isNull())
        return deliver(audience, event);
    TenantOrder &order = m_order[audience.tenantId];
    if (order.delivered == 0)
        order.delivered = seq - 1; // the first event of this tenant since the start: nothing to wait for
    if (seq <= order.delivered || order.held.count(seq))
        return 0; // already delivered (our own event coming back through NOTIFY, or the other way round)
    if (seq != order.delivered + 1) {
        // A later event overtook an earlier one (commits finish on different workers; the relay and the
        // local publisher race). Hold it; ask the relay for the missing ones.
        const bool first = order.held.empty();
        order.held.emplace(seq, Held{audience, event});
        if (first) {
            order.heldSinceMs = QDateTime::currentMSecsSinceEpoch();
            if (!m_gapTimer.isActive())
                m_gapTimer.start();
            if (m_peers.fillGap)
                m_peers.fillGap(audience.tenantId, order.delivered, seq);
        }
        if (int(order.held.size()) > kMaxHeldPerTenant) {
            qCWarning(lcApi) << "event gap not filled; delivering" << order.held.size() << "held events of a tenant";
            order.delivered = order.held.begin()->first - 1;
            drain(order);
        }
        return 0;
    }
    order.delivered = seq;
    const QUuid tenantId = audience.tenantId;
    const int n = deliver(audience, event);
    drain(m_order[tenantId]); // looked up again: a delivery callback may have touched the hub
    return n;
}

void EventHub::drain(TenantOrder &order)
{
    while (!order.held.empty() && order.held.begin()->first <= order.delivered + 1) {
        auto node = order.held.extract(order.held.begin());
        if (node.key() <= order.delivered)
            continue;
        order.delivered = node.key();
        deliver(node.mapped().audience, node.mapped().event);
    }
    if (!order.held.empty())
        order.heldSinceMs = QDateTime::currentMSecsSinceEpoch();
}

void EventHub::releaseStale()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool anyHeld = false;
    for (auto it = m_order.begin(); it != m_order.end(); ++it) {
        TenantOrder &order = it.value();
        if (order.held.empty())
            continue;
        if (now - order.heldSinceMs >= kGapWaitMs) {
            qCWarning(lcApi) << "events" << order.delivered + 1 << "to" << order.held.begin()->first - 1
                             << "of a tenant did not arrive; delivering the later ones";
            order.delivered = order.held.begin()->first - 1;
            drain(order);
        }
        anyHeld = anyHeld || !order.held.empty();
    }
    if (!anyHeld)
        m_gapTimer.stop();
}

void EventHub::skipGap(const QUuid &tenantId, quint64 upTo)
{
    auto it = m_order.find(tenantId);
    if (it == m_order.end())
        return;
    it->delivered = qMax(it->delivered, upTo);
    drain(*it);
}

quint64 EventHub::deliveredUpTo(const QUuid &tenantId) const
{
    const auto it = m_order.constFind(tenantId);
    return it == m_order.cend() ? 0 : it->delivered;
}

bool EventHub::alreadyDelivered(const QUuid &tenantId, quint64 seq) const
{
    const auto it = m_order.constFind(tenantId);
    return it != m_order.cend() && (seq <= it->delivered || it->held.count(seq));
}

int EventHub::publishEphemeral(const Audience &audience, const atende::api::v1::Event &event)
{
    if (event.seq() != 0 || audience.tenantId.isNull())
        return 0; // a sequenced event must go through the log
    if (m_peers.ephemeral)
        m_peers.ephemeral(audience, event);
    return deliver(audience, event);
}

} // namespace atende::server::api
