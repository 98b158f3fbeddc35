#include "server/messenger/device_cache.h"

namespace atende::server::messenger {

using whatsapp::Jid;

std::optional<QList<Jid>> DeviceCache::devices(const Jid &user) const
{
    auto it = m_entries.constFind(keyOf(user));
    if (it == m_entries.constEnd() || Clock::now() - it->fetched > m_ttl)
        return std::nullopt;
    return it->devices;
}

void DeviceCache::evictIfFull(QHash<QString, Entry> &entries)
{
    if (entries.size() < m_capacity)
        return;
    // O(n) over a small bounded map, only when full: cheaper in memory than an LRU list per account.
    auto oldest = entries.begin();
    for (auto it = entries.begin(); it != entries.end(); ++it)
        if (it->fetched < oldest->fetched)
            oldest = it;
    entries.erase(oldest);
}

void DeviceCache::store(const Jid &user, QList<Jid> devices)
{
    const QString key = keyOf(user);
    if (!m_entries.contains(key))
        evictIfFull(m_entries);
    m_entries.insert(key, Entry{std::move(devices), Clock::now()});
}

void DeviceCache::invalidate(const Jid &user)
{
    m_entries.remove(keyOf(user));
    if (user.server == Jid::kUserServer) {
        if (auto lid = lidFor(user))
            m_entries.remove(keyOf(*lid));
    } else if (user.server == Jid::kLidServer) {
        if (auto pn = pnFor(user))
            m_entries.remove(keyOf(*pn));
    }
}

void DeviceCache::mapLid(const Jid &pn, const Jid &lid)
{
    if (pn.user.isEmpty() || lid.user.isEmpty())
        return;
    if (m_pnToLid.size() >= m_capacity * 2 && !m_pnToLid.contains(pn.user)) {
        m_pnToLid.clear(); // crude bound: the map is re-learned from the next stanzas and usync results
        m_lidToPn.clear();
    }
    m_pnToLid.insert(pn.user, lid.user);
    m_lidToPn.insert(lid.user, pn.user);
}

std::optional<Jid> DeviceCache::lidFor(const Jid &pn) const
{
    auto it = m_pnToLid.constFind(pn.user);
    if (it == m_pnToLid.constEnd())
        return std::nullopt;
    return Jid::make(*it, QString(Jid::kLidServer));
}

std::optional<Jid> DeviceCache::pnFor(const Jid &lid) const
{
    auto it = m_lidToPn.constFind(lid.user);
    if (it == m_lidToPn.constEnd())
        return std::nullopt;
    return Jid::make(*it, QString(Jid::kUserServer));
}

} // namespace atende::server::messenger
