// RateLimiter with a hand-driven clock: burst, refill, Retry-After and bounded memory.

#include "server/security/rate_limiter.h"

#include <gtest/gtest.h>

namespace atende::server::security {
namespace {

class RateLimiterTest : public ::testing::Test {
protected:
    qint64 m_now = 1'000'000;
    MonotonicClock clock()
    {
        return [this] {
            return m_now;
        };
    }
    void advanceMs(qint64 ms) { m_now += ms; }
};

TEST_F(RateLimiterTest, BurstThenDenyWithRetryAfter)
{
    RateLimiter limiter({5, 1.0, 1000}, clock());
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(limiter.tryAcquire(QStringLiteral("ip:1.2.3.4")).allowed) << i;
    const RateDecision denied = limiter.tryAcquire(QStringLiteral("ip:1.2.3.4"));
    EXPECT_FALSE(denied.allowed);
    EXPECT_EQ(denied.retryAfterSeconds, 1);
    // Other keys are independent.
    EXPECT_TRUE(limiter.tryAcquire(QStringLiteral("ip:5.6.7.8")).allowed);
    EXPECT_TRUE(limiter.tryAcquire(QStringLiteral("user:42")).allowed);
}

TEST_F(RateLimiterTest, RefillsOverTime)
{
    RateLimiter limiter({5, 1.0, 1000}, clock());
    const QString key = QStringLiteral("user:42");
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(limiter.tryAcquire(key).allowed);
    EXPECT_FALSE(limiter.tryAcquire(key).allowed);

    advanceMs(999);
    EXPECT_FALSE(limiter.tryAcquire(key).allowed);
    advanceMs(1);
    EXPECT_TRUE(limiter.tryAcquire(key).allowed);
    EXPECT_FALSE(limiter.tryAcquire(key).allowed);

    advanceMs(2500); // 2.5 tokens
    EXPECT_TRUE(limiter.tryAcquire(key).allowed);
    EXPECT_TRUE(limiter.tryAcquire(key).allowed);
    const RateDecision d = limiter.tryAcquire(key);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.retryAfterSeconds, 1); // 0.5 token missing at 1 token/s

    // Refill never exceeds the capacity: after an hour, still a burst of 5.
    advanceMs(3600 * 1000);
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(limiter.tryAcquire(key).allowed);
    EXPECT_FALSE(limiter.tryAcquire(key).allowed);
}

TEST_F(RateLimiterTest, RetryAfterReflectsSlowRefill)
{
    RateLimiter limiter({2, 0.1, 1000}, clock()); // one token per 10 s
    const QString key = QStringLiteral("ip:9.9.9.9");
    ASSERT_TRUE(limiter.tryAcquire(key).allowed);
    ASSERT_TRUE(limiter.tryAcquire(key).allowed);
    EXPECT_EQ(limiter.tryAcquire(key).retryAfterSeconds, 10);
    advanceMs(4000);
    EXPECT_EQ(limiter.tryAcquire(key).retryAfterSeconds, 6);
    advanceMs(6000);
    EXPECT_TRUE(limiter.tryAcquire(key).allowed);
    // A costly request waits for several tokens.
    advanceMs(20000);
    const RateDecision big = limiter.tryAcquire(key, 3);
    EXPECT_FALSE(big.allowed);
    EXPECT_EQ(big.retryAfterSeconds, 10);
    EXPECT_TRUE(limiter.tryAcquire(key, 2).allowed);
}

TEST_F(RateLimiterTest, ClockSteppingBackDoesNotMintTokens)
{
    RateLimiter limiter({1, 1.0, 1000}, clock());
    const QString key = QStringLiteral("k");
    ASSERT_TRUE(limiter.tryAcquire(key).allowed);
    advanceMs(-60000);
    EXPECT_FALSE(limiter.tryAcquire(key).allowed);
}

TEST_F(RateLimiterTest, MemoryIsBounded)
{
    RateLimiter limiter({3, 1.0, 100}, clock());
    for (int i = 0; i < 10000; ++i)
        limiter.tryAcquire(QStringLiteral("ip:10.0.%1.%2").arg(i / 256).arg(i % 256));
    EXPECT_LE(limiter.trackedKeys(), 100);
    EXPECT_GT(limiter.lossyEvictions(), 0u);
}

TEST_F(RateLimiterTest, IdleFullBucketsAreDropped)
{
    RateLimiter limiter({3, 1.0, 1000}, clock());
    for (int i = 0; i < 50; ++i)
        limiter.tryAcquire(QStringLiteral("user:%1").arg(i));
    EXPECT_EQ(limiter.trackedKeys(), 50);
    advanceMs(2000); // 1 token used, 1 s refill: every bucket is full again
    EXPECT_EQ(limiter.purgeIdle(), 50);
    EXPECT_EQ(limiter.trackedKeys(), 0);

    // Without explicit purging, ordinary traffic trims idle buckets as it goes.
    for (int i = 0; i < 50; ++i)
        limiter.tryAcquire(QStringLiteral("user:%1").arg(i));
    advanceMs(2000);
    for (int i = 0; i < 30; ++i)
        limiter.tryAcquire(QStringLiteral("other:%1").arg(i));
    EXPECT_LE(limiter.trackedKeys(), 50);
    EXPECT_EQ(limiter.lossyEvictions(), 0u);

    // A drained bucket is not dropped: forgetting it would hand out a fresh burst.
    const QString hot = QStringLiteral("hot");
    for (int i = 0; i < 3; ++i)
        limiter.tryAcquire(hot);
    const qsizetype before = limiter.trackedKeys();
    limiter.purgeIdle();
    EXPECT_GE(limiter.trackedKeys(), 1);
    EXPECT_LE(limiter.trackedKeys(), before);
    EXPECT_FALSE(limiter.tryAcquire(hot).allowed);
}

} // namespace
} // namespace atende::server::security
