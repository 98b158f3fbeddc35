#include "server/security/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace atende::server::security {

namespace {
// Idle buckets trimmed per call: enough to keep up with key churn, small enough to stay O(1).
constexpr qsizetype kTrimPerCall = 2;
} // namespace

RateLimiter::RateLimiter(RateLimitPolicy policy, MonotonicClock clock)
    : m_policy(policy)
    , m_clock(clock ? std::move(clock) : steadyClock())
    , m_buckets(policy.maxKeys)
{
    // A limiter that can never refill would lock keys out forever; treat it as a configuration slip.
    if (!(m_policy.refillPerSecond > 0))
        m_policy.refillPerSecond = 1.0;
    if (!(m_policy.capacity >= 1))
        m_policy.capacity = 1.0;
}

double RateLimiter::refilled(const Bucket &bucket, qint64 nowMs) const
{
    const qint64 elapsedMs = std::max<qint64>(0, nowMs - bucket.updatedMs); // tolerate a clock step back
    return std::min(m_policy.capacity, bucket.tokens + double(elapsedMs) * m_policy.refillPerSecond / 1000.0);
}

RateDecision RateLimiter::tryAcquire(const QString &key, double cost)
{
    const qint64 now = m_clock();
    m_buckets.evictIdle([&](const Bucket &b) { return refilled(b, now) >= m_policy.capacity; }, kTrimPerCall);

    Bucket &bucket = m_buckets.findOrInsert(key, Bucket{m_policy.capacity, now});
    bucket.tokens = refilled(bucket, now);
    bucket.updatedMs = now;
    if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return {};
    }
    const double deficit = cost - bucket.tokens;
    const auto seconds = qint64(std::ceil(deficit / m_policy.refillPerSecond));
    return RateDecision{false, std::max<qint64>(1, seconds)};
}

qsizetype RateLimiter::purgeIdle()
{
    const qint64 now = m_clock();
    return m_buckets.removeIf([&](const Bucket &b) { return refilled(b, now) >= m_policy.capacity; });
}

} // namespace atende::server::security
