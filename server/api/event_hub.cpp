#include "server/api/event_hub.h"

#include "server/api/permissions.h"

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
{}

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

int EventHub::publish(const Audience &audience, const atende::api::v1::Event &event)
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

} // namespace atende::server::api
