#include "server/security/login_throttle.h"

#include <algorithm>

namespace atende::server::security {

LoginThrottle::LoginThrottle(LoginThrottlePolicy policy, MonotonicClock clock)
    : m_policy(policy)
    , m_clock(clock ? std::move(clock) : steadyClock())
    , m_accounts(policy.maxKeys)
    , m_ips(policy.maxKeys)
{}

qint64 LoginThrottle::delayAfterFailures(int failures, int freeFailures) const
{
    if (failures < freeFailures || freeFailures < 0)
        return 0;
    qint64 delay = std::max<qint64>(1, m_policy.baseDelayMs);
    // Double once per failure beyond the free ones; stop as soon as the cap is reached (no overflow).
    for (int i = freeFailures; i < failures && delay < m_policy.maxDelayMs; ++i)
        delay *= 2;
    return std::min(delay, m_policy.maxDelayMs);
}

bool LoginThrottle::idle(const Record &r, qint64 now) const
{
    return now >= r.lockedUntilMs && now - r.lastFailureMs >= m_policy.forgetAfterMs;
}

void LoginThrottle::trim(qint64 now)
{
    const auto isIdle = [&](const Record &r) {
        return idle(r, now);
    };
    m_accounts.evictIdle(isIdle, 2);
    m_ips.evictIdle(isIdle, 2);
}

qint64 LoginThrottle::remainingMs(BoundedLruMap<Record> &map, const QString &key, qint64 now)
{
    const Record *r = map.find(key);
    return r ? std::max<qint64>(0, r->lockedUntilMs - now) : 0;
}

RateDecision LoginThrottle::check(const QString &account, const QString &ip)
{
    const qint64 now = m_clock();
    trim(now);
    const qint64 waitMs = std::max(remainingMs(m_accounts, account, now), remainingMs(m_ips, ip, now));
    if (waitMs <= 0)
        return {};
    return RateDecision{false, (waitMs + 999) / 1000};
}

void LoginThrottle::fail(BoundedLruMap<Record> &map, const QString &key, int freeFailures, qint64 now)
{
    Record &r = map.findOrInsert(key, Record{});
    if (r.failures > 0 && now - r.lastFailureMs >= m_policy.forgetAfterMs)
        r.failures = 0;
    if (r.failures < 1000000) // far past the cap; just keeps the counter from ever wrapping
        ++r.failures;
    r.lastFailureMs = now;
    r.lockedUntilMs = now + delayAfterFailures(r.failures, freeFailures);
}

void LoginThrottle::recordFailure(const QString &account, const QString &ip)
{
    const qint64 now = m_clock();
    trim(now);
    fail(m_accounts, account, m_policy.freeAccountFailures, now);
    fail(m_ips, ip, m_policy.freeIpFailures, now);
}

void LoginThrottle::recordSuccess(const QString &account, const QString &ip)
{
    Q_UNUSED(ip); // deliberately: see the header
    m_accounts.remove(account);
}

int LoginThrottle::accountFailures(const QString &account)
{
    const Record *r = m_accounts.find(account);
    return r ? r->failures : 0;
}

} // namespace atende::server::security
