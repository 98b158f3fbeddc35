#include "app/core/backoff.h"

#include <gtest/gtest.h>
#include <set>

using atende::app::core::Backoff;

TEST(Backoff, GrowsExponentiallyWithinJitterBoundsAndCaps)
{
    Backoff backoff({100, 1'600, 2.0, 0.5}, 1234);
    const int ceilings[] = {100, 200, 400, 800, 1'600, 1'600, 1'600};
    for (const int ceiling : ceilings) {
        EXPECT_EQ(backoff.currentCeilingMs(), ceiling);
        const int delay = backoff.nextDelayMs();
        EXPECT_GE(delay, ceiling / 2);
        EXPECT_LE(delay, ceiling);
    }
    EXPECT_EQ(backoff.attempts(), 7);
}

TEST(Backoff, ResetStartsOver)
{
    Backoff backoff({100, 10'000, 2.0, 0.5}, 1);
    for (int i = 0; i < 5; ++i)
        (void)backoff.nextDelayMs();
    EXPECT_EQ(backoff.currentCeilingMs(), 3'200);
    backoff.reset();
    EXPECT_EQ(backoff.attempts(), 0);
    EXPECT_EQ(backoff.currentCeilingMs(), 100);
    EXPECT_LE(backoff.nextDelayMs(), 100);
}

TEST(Backoff, JitterSpreadsClientsApart)
{
    // Two desktops that lost the server together must not come back in lock-step.
    std::set<int> delays;
    for (quint32 seed = 1; seed <= 20; ++seed) {
        Backoff backoff({1'000, 30'000, 2.0, 0.5}, seed);
        delays.insert(backoff.nextDelayMs());
    }
    EXPECT_GT(delays.size(), 10u);
}

TEST(Backoff, NoJitterIsDeterministicAndHugeAttemptCountsStayCapped)
{
    Backoff backoff({250, 5'000, 3.0, 0.0}, 7);
    EXPECT_EQ(backoff.nextDelayMs(), 250);
    EXPECT_EQ(backoff.nextDelayMs(), 750);
    EXPECT_EQ(backoff.nextDelayMs(), 2'250);
    for (int i = 0; i < 5'000; ++i)
        ASSERT_EQ(backoff.nextDelayMs(), 5'000) << "attempt " << i;
}

TEST(Backoff, NonsenseOptionsAreSanitized)
{
    Backoff backoff({0, -5, 0.5, 7.0}, 3);
    const int delay = backoff.nextDelayMs();
    EXPECT_GE(delay, 1);
    EXPECT_LE(delay, 1);
}
