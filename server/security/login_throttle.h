#pragma once
// Growing back-off for password guessing, per account and per client IP. The first few failures are free
// (typos); after that each failure locks the key for baseDelay, doubling with every further failure, up
// to maxDelay. A success resets the account but not the IP, so an attacker who owns one account cannot
// launder an IP's record by logging into it. Unknown emails are tracked exactly like real ones, so the
// throttle never reveals which accounts exist. A key's record is forgotten after `forgetAfter` without
// failures. The caller passes normalised keys (lower-cased email; for IPv6 the /64 prefix).
//
// Usage: check() before verifying the password (denied -> 429 with Retry-After, no verification), then
// recordFailure() or recordSuccess(). Not thread-safe: one per event-loop thread.

#include "server/security/bounded_lru_map.h"
#include "server/security/monotonic_clock.h"
#include "server/security/rate_limiter.h"

#include <QString>

namespace atende::server::security {

struct LoginThrottlePolicy {
    int freeAccountFailures = 5;
    int freeIpFailures = 20; // higher: an office behind one NAT address shares it
    qint64 baseDelayMs = 1000;
    qint64 maxDelayMs = 15 * 60 * 1000;
    qint64 forgetAfterMs = 24 * 60 * 60 * 1000;
    qsizetype maxKeys = 100000;
};

class LoginThrottle {
public:
    explicit LoginThrottle(LoginThrottlePolicy policy = {}, MonotonicClock clock = steadyClock());

    RateDecision check(const QString &account, const QString &ip);
    void recordFailure(const QString &account, const QString &ip);
    void recordSuccess(const QString &account, const QString &ip);

    // The lock after the n-th consecutive failure (0 while n < freeFailures).
    qint64 delayAfterFailures(int failures, int freeFailures) const;
    int accountFailures(const QString &account);

private:
    struct Record {
        int failures = 0;
        qint64 lastFailureMs = 0;
        qint64 lockedUntilMs = 0;
    };

    void fail(BoundedLruMap<Record> &map, const QString &key, int freeFailures, qint64 now);
    qint64 remainingMs(BoundedLruMap<Record> &map, const QString &key, qint64 now);
    bool idle(const Record &r, qint64 now) const;
    void trim(qint64 now);

    LoginThrottlePolicy m_policy;
    MonotonicClock m_clock;
    BoundedLruMap<Record> m_accounts;
    BoundedLruMap<Record> m_ips;
};

} // namespace atende::server::security
