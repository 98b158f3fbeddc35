// LoginThrottle: free failures, doubling back-off per account and per IP, cap, reset on success.

#include "server/security/login_throttle.h"

#include <gtest/gtest.h>

namespace atende::server::security {
namespace {

class LoginThrottleTest : public ::testing::Test {
protected:
    qint64 m_now = 5'000'000;
    LoginThrottle m_throttle{LoginThrottlePolicy{}, [this] {
                                 return m_now;
                             }};
    const QString m_account = QStringLiteral("ana@example.com");
    const QString m_ip = QStringLiteral("ip:198.51.100.7");

    void advanceMs(qint64 ms) { m_now += ms; }
};

TEST_F(LoginThrottleTest, DelayTable)
{
    const LoginThrottle t;
    EXPECT_EQ(t.delayAfterFailures(0, 5), 0);
    EXPECT_EQ(t.delayAfterFailures(4, 5), 0);
    EXPECT_EQ(t.delayAfterFailures(5, 5), 1000);
    EXPECT_EQ(t.delayAfterFailures(6, 5), 2000);
    EXPECT_EQ(t.delayAfterFailures(7, 5), 4000);
    EXPECT_EQ(t.delayAfterFailures(14, 5), 512000);
    EXPECT_EQ(t.delayAfterFailures(15, 5), 15 * 60 * 1000); // 1024 s capped at 15 min
    EXPECT_EQ(t.delayAfterFailures(1000000, 5), 15 * 60 * 1000);
}

TEST_F(LoginThrottleTest, BackOffGrowsPerAccount)
{
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(m_throttle.check(m_account, m_ip).allowed);
        m_throttle.recordFailure(m_account, m_ip);
    }
    EXPECT_TRUE(m_throttle.check(m_account, m_ip).allowed); // four typos are free
    m_throttle.recordFailure(m_account, m_ip);              // fifth failure: locked
    RateDecision d = m_throttle.check(m_account, m_ip);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.retryAfterSeconds, 1);

    // Each further failure (after waiting out the lock) doubles the wait.
    qint64 expected = 2;
    for (int failure = 6; failure <= 16; ++failure) {
        advanceMs(m_throttle.check(m_account, m_ip).retryAfterSeconds * 1000);
        ASSERT_TRUE(m_throttle.check(m_account, m_ip).allowed) << failure;
        m_throttle.recordFailure(m_account, m_ip);
        d = m_throttle.check(m_account, m_ip);
        EXPECT_FALSE(d.allowed);
        EXPECT_EQ(d.retryAfterSeconds, std::min<qint64>(expected, 900)) << failure;
        expected *= 2;
    }
    EXPECT_EQ(m_throttle.check(m_account, m_ip).retryAfterSeconds, 900); // capped at 15 min

    // The lock is per account: another account from another IP is unaffected.
    EXPECT_TRUE(m_throttle.check(QStringLiteral("bia@example.com"), QStringLiteral("ip:203.0.113.1")).allowed);
}

TEST_F(LoginThrottleTest, SuccessResetsTheAccount)
{
    for (int i = 0; i < 6; ++i)
        m_throttle.recordFailure(m_account, m_ip);
    EXPECT_EQ(m_throttle.accountFailures(m_account), 6);
    advanceMs(10000);
    m_throttle.recordSuccess(m_account, m_ip);
    EXPECT_EQ(m_throttle.accountFailures(m_account), 0);
    EXPECT_TRUE(m_throttle.check(m_account, m_ip).allowed);
    // Back to four free failures.
    for (int i = 0; i < 4; ++i)
        m_throttle.recordFailure(m_account, m_ip);
    EXPECT_TRUE(m_throttle.check(m_account, m_ip).allowed);
}

TEST_F(LoginThrottleTest, IpIsThrottledAcrossAccounts)
{
    // Password spraying: one wrong guess per account, many accounts, one IP.
    for (int i = 0; i < 19; ++i)
        m_throttle.recordFailure(QStringLiteral("user%1@example.com").arg(i), m_ip);
    EXPECT_TRUE(m_throttle.check(QStringLiteral("fresh@example.com"), m_ip).allowed);
    m_throttle.recordFailure(QStringLiteral("user19@example.com"), m_ip);
    const RateDecision d = m_throttle.check(QStringLiteral("fresh@example.com"), m_ip);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.retryAfterSeconds, 1);
    // The same accounts from another IP are fine (their own counters are at one failure each).
    EXPECT_TRUE(m_throttle.check(QStringLiteral("user0@example.com"), QStringLiteral("ip:203.0.113.9")).allowed);

    // Logging into an account the attacker owns does not clear the IP's record.
    m_throttle.recordSuccess(QStringLiteral("attacker@example.com"), m_ip);
    EXPECT_FALSE(m_throttle.check(QStringLiteral("fresh@example.com"), m_ip).allowed);
}

TEST_F(LoginThrottleTest, FailuresAreForgottenAfterADay)
{
    for (int i = 0; i < 7; ++i)
        m_throttle.recordFailure(m_account, m_ip);
    advanceMs(24LL * 60 * 60 * 1000);
    EXPECT_TRUE(m_throttle.check(m_account, m_ip).allowed);
    m_throttle.recordFailure(m_account, m_ip);
    EXPECT_EQ(m_throttle.accountFailures(m_account), 1);
    EXPECT_TRUE(m_throttle.check(m_account, m_ip).allowed);
}

TEST_F(LoginThrottleTest, UnknownAccountsAreTreatedLikeKnownOnes)
{
    // The throttle has no notion of existence: a made-up email locks exactly like a real one.
    const QString ghost = QStringLiteral("nobody@example.com");
    for (int i = 0; i < 5; ++i) {
        m_throttle.recordFailure(ghost, m_ip);
        m_throttle.recordFailure(m_account, QStringLiteral("ip:192.0.2.1"));
    }
    EXPECT_EQ(m_throttle.check(ghost, QStringLiteral("ip:192.0.2.200")).retryAfterSeconds,
              m_throttle.check(m_account, QStringLiteral("ip:192.0.2.201")).retryAfterSeconds);
}

} // namespace
} // namespace atende::server::security
