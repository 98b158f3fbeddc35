#include "server/auth/api_token_cache.h"

namespace atende::server::auth {

ApiTokenCache::ApiTokenCache(qsizetype capacity, qint64 ttlMs, security::MonotonicClock clock)
    : m_capacity(capacity > 0 ? capacity : 1)
    , m_ttlMs(ttlMs)
    , m_clock(clock ? std::move(clock) : security::steadyClock())
{}

std::optional<ApiTokenPrincipal> ApiTokenCache::find(const QString &tokenHash)
{
    const auto it = m_entries.find(tokenHash);
    if (it == m_entries.end())
        return std::nullopt;
    if (m_clock() - it->cachedAtMs >= m_ttlMs) {
        m_entries.erase(it);
        return std::nullopt;
    }
    return it->principal;
}

void ApiTokenCache::insert(const QString &tokenHash, ApiTokenPrincipal principal)
{
    if (m_ttlMs <= 0)
        return;
    if (!m_entries.contains(tokenHash) && m_entries.size() >= m_capacity)
        makeRoom();
    m_entries.insert(tokenHash, Entry{std::move(principal), m_clock()});
}

void ApiTokenCache::makeRoom()
{
    const qint64 now = m_clock();
    m_entries.removeIf(
        [&](const QHash<QString, Entry>::iterator &it) { return now - it.value().cachedAtMs >= m_ttlMs; });
    if (m_entries.size() < m_capacity)
        return;
    auto oldest = m_entries.begin();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->cachedAtMs < oldest->cachedAtMs)
            oldest = it;
    }
    m_entries.erase(oldest);
}

void ApiTokenCache::evictToken(const QUuid &tokenId)
{
    ++m_generation;
    m_entries.removeIf(
        [&](const QHash<QString, Entry>::iterator &it) { return it.value().principal.tokenId == tokenId; });
}

bool ApiTokenCache::claimTouch(const QUuid &tokenId, qint64 intervalMs)
{
    const qint64 now = m_clock();
    const auto it = m_touchedAtMs.constFind(tokenId);
    if (it != m_touchedAtMs.cend() && now - *it < intervalMs)
        return false;
    if (it == m_touchedAtMs.cend() && m_touchedAtMs.size() >= m_capacity) {
        m_touchedAtMs.removeIf([&](const QHash<QUuid, qint64>::iterator &e) { return now - e.value() >= intervalMs; });
        if (m_touchedAtMs.size() >= m_capacity)
            m_touchedAtMs.clear();
    }
    m_touchedAtMs.insert(tokenId, now);
    return true;
}

} // namespace atende::server::auth
