#pragma once
// Token-bucket rate limiting keyed by string ("ip:203.0.113.7", "user:42"). Each key has `capacity`
// tokens (the burst) refilled at `refillPerSecond`; a request takes one (or `cost`). Memory is bounded:
// a bucket that has refilled completely is indistinguishable from a new one, so it is dropped (a few per
// call, from the least-recently-used end), and the number of keys is capped (beyond it the least recently
// used bucket is forgotten and counted in lossyEvictions()). Not thread-safe: use one per event-loop
// thread, as the API layer does.

#include "server/security/bounded_lru_map.h"
#include "server/security/monotonic_clock.h"

#include <QString>

namespace atende::server::security {

struct RateLimitPolicy {
    double capacity = 60.0;
    double refillPerSecond = 1.0;
    qsizetype maxKeys = 100000;
};

struct RateDecision {
    bool allowed = true;
    qint64 retryAfterSeconds = 0; // > 0 when denied: the HTTP Retry-After value
};

class RateLimiter {
public:
    explicit RateLimiter(RateLimitPolicy policy, MonotonicClock clock = steadyClock());

    RateDecision tryAcquire(const QString &key, double cost = 1.0);
    // Removes every bucket that has refilled completely (periodic housekeeping; tryAcquire trims too).
    qsizetype purgeIdle();

    const RateLimitPolicy &policy() const { return m_policy; }
    qsizetype trackedKeys() const { return m_buckets.size(); }
    quint64 lossyEvictions() const { return m_buckets.lossyEvictions(); }

private:
    struct Bucket {
        double tokens = 0;
        qint64 updatedMs = 0;
    };

    double refilled(const Bucket &bucket, qint64 nowMs) const;

    RateLimitPolicy m_policy;
    MonotonicClock m_clock;
    BoundedLruMap<Bucket> m_buckets;
};

} // namespace atende::server::security
