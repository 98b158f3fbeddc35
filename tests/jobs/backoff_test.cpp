// RetryPolicy::delay (exponential, capped, +-20 % jitter) and which handler errors are retried.

#include "server/jobs/job_types.h"

#include <gtest/gtest.h>

using namespace atende;
using server::jobs::RetryPolicy;
using std::chrono::milliseconds;

TEST(Backoff, DoublesFromTwoSecondsUpToFifteenMinutes)
{
    const RetryPolicy p;
    EXPECT_EQ(p.delay(1, 0.5), milliseconds(2000));
    EXPECT_EQ(p.delay(2, 0.5), milliseconds(4000));
    EXPECT_EQ(p.delay(3, 0.5), milliseconds(8000));
    EXPECT_EQ(p.delay(9, 0.5), milliseconds(512000));
    EXPECT_EQ(p.delay(10, 0.5), milliseconds(900000));
    EXPECT_EQ(p.delay(500, 0.5), milliseconds(900000));
}

TEST(Backoff, JitterStaysWithinTwentyPercent)
{
    const RetryPolicy p;
    EXPECT_EQ(p.delay(1, 0.0), milliseconds(1600));
    EXPECT_EQ(p.delay(10, 0.0), milliseconds(720000));
    EXPECT_LE(p.delay(1, 0.999999), milliseconds(2400));
    qint64 lo = 1 << 30, hi = 0;
    for (int i = 0; i < 2000; ++i) {
        const qint64 d = p.delay(3).count();
        lo = qMin(lo, d);
        hi = qMax(hi, d);
    }
    EXPECT_GE(lo, 6400);
    EXPECT_LE(hi, 9600);
    EXPECT_LT(lo, 7000); // really random, not a constant
    EXPECT_GT(hi, 9000);
}

TEST(Backoff, PermanentErrorsAreNotRetried)
{
    EXPECT_FALSE(server::jobs::isRetryable(core::Error::make(core::errc::kInvalidArgument, QString())));
    EXPECT_FALSE(server::jobs::isRetryable(core::Error::make(core::errc::kNotFound, QString())));
    EXPECT_TRUE(server::jobs::isRetryable(core::Error::make(core::errc::kUnavailable, QString())));
    EXPECT_TRUE(server::jobs::isRetryable(core::Error::make(core::errc::kInternal, QString())));
}
