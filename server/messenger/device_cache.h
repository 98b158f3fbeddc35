#pragma once
// Per-user device lists (PROTOCOL.md §7.2) and the PN ↔ LID map learned from usync results and stanza
// attributes, for one account. Bounded: with thousands of accounts per process each keeps at most
// `capacity` users, evicting the least recently fetched; an idle account with no traffic holds nothing.

#include "server/whatsapp/jid.h"

#include <QHash>
#include <QList>
#include <chrono>
#include <optional>

namespace atende::server::messenger {

class DeviceCache {
public:
    using Clock = std::chrono::steady_clock;
    DeviceCache(std::chrono::milliseconds ttl, int capacity)
        : m_ttl(ttl)
        , m_capacity(std::max(1, capacity))
    {}

    // The cached device JIDs of `user` (device part ignored), or nullopt when unknown or expired.
    std::optional<QList<whatsapp::Jid>> devices(const whatsapp::Jid &user) const;
    void store(const whatsapp::Jid &user, QList<whatsapp::Jid> devices);
    void invalidate(const whatsapp::Jid &user);
    void clear() { m_entries.clear(); }

    // PN ↔ LID (user JIDs, no device).
    void mapLid(const whatsapp::Jid &pn, const whatsapp::Jid &lid);
    std::optional<whatsapp::Jid> lidFor(const whatsapp::Jid &pn) const;
    std::optional<whatsapp::Jid> pnFor(const whatsapp::Jid &lid) const;

    qsizetype size() const { return m_entries.size(); }

private:
    struct Entry {
        QList<whatsapp::Jid> devices;
        Clock::time_point fetched;
    };
    static QString keyOf(const whatsapp::Jid &user) { return user.user + u'@' + user.server; }
    void evictIfFull(QHash<QString, Entry> &entries);

    std::chrono::milliseconds m_ttl;
    int m_capacity;
    QHash<QString, Entry> m_entries;
    QHash<QString, QString> m_pnToLid; // user parts; bounded like m_entries
    QHash<QString, QString> m_lidToPn;
};

} // namespace atende::server::messenger
