#pragma once
// A string-keyed map with a hard size cap and least-recently-used order, for per-key limiter state that
// an attacker can make arbitrarily many keys for (one per spoofed IP or guessed email). Lookups and
// evictions are O(1); evictIdle() walks from the least recently used end and stops at the first entry
// that is still interesting, so callers can trim a few entries on every request. Internal to the module.

#include <QHash>
#include <QString>

#include <list>

namespace atende::server::security {

template <typename V> class BoundedLruMap {
public:
    explicit BoundedLruMap(qsizetype maxSize)
        : m_maxSize(maxSize > 0 ? maxSize : 1)
    {}

    // Marks the entry most recently used.
    V *find(const QString &key)
    {
        const auto it = m_index.find(key);
        if (it == m_index.end())
            return nullptr;
        m_order.splice(m_order.begin(), m_order, it.value());
        return &it.value()->value;
    }

    // Inserts `fresh` when the key is new; at the cap the least recently used entry is dropped first
    // (counted in lossyEvictions(), since its state is forgotten).
    V &findOrInsert(const QString &key, V fresh)
    {
        if (V *existing = find(key))
            return *existing;
        if (size() >= m_maxSize) {
            m_index.remove(m_order.back().key);
            m_order.pop_back();
            ++m_lossyEvictions;
        }
        m_order.push_front(Entry{key, std::move(fresh)});
        m_index.insert(key, m_order.begin());
        return m_order.front().value;
    }

    bool remove(const QString &key)
    {
        const auto it = m_index.find(key);
        if (it == m_index.end())
            return false;
        m_order.erase(it.value());
        m_index.erase(it);
        return true;
    }

    // Drops least-recently-used entries while isIdle(value) holds, at most `limit` of them.
    template <typename Pred> qsizetype evictIdle(Pred isIdle, qsizetype limit)
    {
        qsizetype evicted = 0;
        while (evicted < limit && !m_order.empty() && isIdle(m_order.back().value)) {
            m_index.remove(m_order.back().key);
            m_order.pop_back();
            ++evicted;
        }
        return evicted;
    }

    // Drops every idle entry, wherever it is in the order (periodic housekeeping).
    template <typename Pred> qsizetype removeIf(Pred isIdle)
    {
        qsizetype removed = 0;
        for (auto it = m_order.begin(); it != m_order.end();) {
            if (isIdle(it->value)) {
                m_index.remove(it->key);
                it = m_order.erase(it);
                ++removed;
            } else {
                ++it;
            }
        }
        return removed;
    }

    qsizetype size() const { return m_index.size(); }
    qsizetype maxSize() const { return m_maxSize; }
    quint64 lossyEvictions() const { return m_lossyEvictions; }

private:
    struct Entry {
        QString key;
        V value;
    };

    qsizetype m_maxSize;
    std::list<Entry> m_order; // front = most recently used
    QHash<QString, typename std::list<Entry>::iterator> m_index;
    quint64 m_lossyEvictions = 0;
};

} // namespace atende::server::security
