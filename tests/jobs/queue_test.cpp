// JobQueue against real PostgreSQL, part 1: enqueue/claim/complete, idempotency keys, run_at, retries with
// back-off and dead letters (lease_isolation_test.cpp has the rest).

#include "server/jobs/job_queue.h"
#include "tests/jobs/jobs_fixture.h"
#include "tests/support/status_assertions.h"

#include <QElapsedTimer>
#include <QTest>

using namespace atende;
using server::jobs::EnqueueOptions;
using server::jobs::Job;
using server::jobs::JobQueue;
using server::jobs::RetryPolicy;
using std::chrono::milliseconds;

namespace atende::test {
namespace {

TEST_F(JobsTest, EnqueueClaimComplete)
{
    const QJsonObject payload{{QStringLiteral("message"), QStringLiteral("m1")}};
    auto id = enqueue(tenantA, QStringLiteral("send"), payload);
    ASSERT_TRUE(isOk(id));
    EXPECT_EQ(state(id.value()), QStringLiteral("queued"));

    auto claimed = claim(QStringLiteral("w1"));
    ASSERT_TRUE(isOk(claimed));
    ASSERT_EQ(claimed->size(), 1);
    const Job job = claimed->first();
    EXPECT_EQ(job.id, id.value());
    EXPECT_EQ(job.tenantId, tenantA);
    EXPECT_EQ(job.kind, QStringLiteral("send"));
    EXPECT_EQ(job.payload, payload);
    EXPECT_EQ(job.attempts, 1);
    EXPECT_EQ(job.maxAttempts, 8);
    EXPECT_TRUE(job.lockedUntil.isValid());
    EXPECT_EQ(state(job.id), QStringLiteral("running"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT locked_by FROM jobs")).toString(), QStringLiteral("w1"));

    auto again = claim(QStringLiteral("w2"));
    ASSERT_TRUE(isOk(again));
    EXPECT_TRUE(again->isEmpty());

    EXPECT_TRUE(complete(job).ok());
    EXPECT_EQ(state(job.id), QStringLiteral("done"));
    EXPECT_TRUE(scalar(QStringLiteral("SELECT finished_at IS NOT NULL AND locked_by IS NULL FROM jobs")).toBool());
    EXPECT_TRUE(isError(complete(job), "conflict"));
}

TEST_F(JobsTest, ClaimFiltersByKindAndHonoursTheLimit)
{
    enqueueMany(tenantA, QStringLiteral("a"), 5);
    enqueueMany(tenantB, QStringLiteral("b"), 3);
    auto onlyB = claim(QStringLiteral("w"), 10, 60, {QStringLiteral("b"), QStringLiteral("x\"y")});
    ASSERT_TRUE(isOk(onlyB));
    EXPECT_EQ(onlyB->size(), 3);
    auto two = claim(QStringLiteral("w"), 2);
    ASSERT_TRUE(isOk(two));
    EXPECT_EQ(two->size(), 2);
    auto rest = claim(QStringLiteral("w"), 10);
    ASSERT_TRUE(isOk(rest));
    EXPECT_EQ(rest->size(), 3);
}

TEST_F(JobsTest, IdempotencyKeyReturnsTheExistingJob)
{
    EnqueueOptions o;
    o.idempotencyKey = QStringLiteral("msg-42");
    auto first = enqueue(tenantA, QStringLiteral("send"), {}, o);
    auto second = enqueue(tenantA, QStringLiteral("send"), {{QStringLiteral("x"), 1}}, o);
    ASSERT_TRUE(isOk(first));
    ASSERT_TRUE(isOk(second));
    EXPECT_EQ(first.value(), second.value());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs")).toInt(), 1);
    // Still deduplicated once the job ran.
    auto c = claim(QStringLiteral("w"));
    ASSERT_TRUE(isOk(c));
    ASSERT_EQ(c->size(), 1);
    ASSERT_TRUE(complete(c->first()).ok());
    auto third = enqueue(tenantA, QStringLiteral("send"), {}, o);
    ASSERT_TRUE(isOk(third));
    EXPECT_EQ(third.value(), first.value());
    // The key is per tenant and kind.
    auto otherKind = enqueue(tenantA, QStringLiteral("other"), {}, o);
    auto otherTenant = enqueue(tenantB, QStringLiteral("send"), {}, o);
    ASSERT_TRUE(isOk(otherKind));
    ASSERT_TRUE(isOk(otherTenant));
    EXPECT_NE(otherKind.value(), first.value());
    EXPECT_NE(otherTenant.value(), first.value());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs")).toInt(), 3);
}

TEST_F(JobsTest, FutureRunAtIsNotClaimedEarly)
{
    EnqueueOptions o;
    o.runAt = QDateTime::currentDateTimeUtc().addMSecs(1500);
    QElapsedTimer clock;
    clock.start();
    auto id = enqueue(tenantA, QStringLiteral("later"), {}, o);
    ASSERT_TRUE(isOk(id));
    auto now = claim(QStringLiteral("w"));
    ASSERT_TRUE(isOk(now));
    EXPECT_TRUE(now->isEmpty());
    QList<Job> got;
    while (got.isEmpty() && clock.elapsed() < 5000) {
        QTest::qWait(50);
        auto c = claim(QStringLiteral("w"));
        ASSERT_TRUE(isOk(c));
        got = c.value();
    }
    ASSERT_EQ(got.size(), 1);
    std::printf("[ measure ] job due in 1500 ms was first claimed after %lld ms\n", clock.elapsed());
    EXPECT_GE(clock.elapsed(), 1400);
}

TEST_F(JobsTest, FailuresRetryWithGrowingDelaysThenGoDead)
{
    EnqueueOptions o;
    o.maxAttempts = 4;
    auto id = enqueue(tenantA, QStringLiteral("flaky"), {}, o);
    ASSERT_TRUE(isOk(id));
    const RetryPolicy policy; // base 2 s, cap 15 min, jitter 20 %
    double previous = 0;
    for (int attempt = 1; attempt <= 4; ++attempt) {
        SCOPED_TRACE(attempt);
        // Skip the wait: make the retry due now.
        ASSERT_TRUE(exec(QStringLiteral("UPDATE jobs SET run_at = now() WHERE state = 'queued'")));
        auto c = claim(QStringLiteral("w"));
        ASSERT_TRUE(isOk(c));
        ASSERT_EQ(c->size(), 1);
        EXPECT_EQ(c->first().attempts, attempt);
        auto f = fail(c->first(), QStringLiteral("unavailable: phone offline"), true, policy.delay(attempt));
        ASSERT_TRUE(isOk(f));
        if (attempt < 4) {
            EXPECT_FALSE(f->dead);
            EXPECT_EQ(state(id.value()), QStringLiteral("queued"));
            const double delay =
                scalar(QStringLiteral("SELECT extract(epoch FROM run_at - updated_at) FROM jobs")).toDouble();
            const double nominal = 2.0 * (1 << (attempt - 1));
            std::printf("[ measure ] retry delay after attempt %d: %.3f s (nominal %.0f s)\n", attempt, delay, nominal);
            EXPECT_GE(delay, nominal * 0.8 - 0.01);
            EXPECT_LE(delay, nominal * 1.2 + 0.01);
            EXPECT_GT(delay, previous);
            previous = delay;
            // Not claimable before its run_at.
            auto early = claim(QStringLiteral("w"));
            ASSERT_TRUE(isOk(early));
            EXPECT_TRUE(early->isEmpty());
        } else {
            EXPECT_TRUE(f->dead);
        }
    }
    EXPECT_EQ(state(id.value()), QStringLiteral("dead"));
    auto dead =
        m_db->runTenant(tenantA, [a = tenantA](QSqlDatabase &db) { return JobQueue::listDead(db, a, 10); }).result();
    ASSERT_TRUE(isOk(dead));
    ASSERT_EQ(dead->size(), 1);
    EXPECT_EQ(dead->first().id, id.value());
    EXPECT_EQ(dead->first().attempts, 4);
    EXPECT_EQ(dead->first().lastError, QStringLiteral("unavailable: phone offline"));
    EXPECT_TRUE(dead->first().finishedAt.isValid());
}

TEST_F(JobsTest, PermanentFailureGoesDeadAtOnce)
{
    auto id = enqueue(tenantA, QStringLiteral("bad"));
    ASSERT_TRUE(isOk(id));
    auto c = claim(QStringLiteral("w"));
    ASSERT_TRUE(isOk(c));
    ASSERT_EQ(c->size(), 1);
    auto f = fail(c->first(), QStringLiteral("invalid_argument: no such number"), false, milliseconds(2000));
    ASSERT_TRUE(isOk(f));
    EXPECT_TRUE(f->dead);
    EXPECT_EQ(state(id.value()), QStringLiteral("dead"));
}

TEST_F(JobsTest, RetryDeadBringsItBackWithAttemptsReset)
{
    EnqueueOptions o;
    o.maxAttempts = 1;
    auto id = enqueue(tenantA, QStringLiteral("once"), {}, o);
    ASSERT_TRUE(isOk(id));
    auto c = claim(QStringLiteral("w"));
    ASSERT_TRUE(isOk(c));
    ASSERT_EQ(c->size(), 1);
    ASSERT_TRUE(isOk(fail(c->first(), QStringLiteral("internal: boom"), true, milliseconds(2000))));
    EXPECT_EQ(state(id.value()), QStringLiteral("dead"));

    auto retry = [this](const QUuid &tenant, const QUuid &job) {
        return m_db->runTenant(tenant, [tenant, job](QSqlDatabase &db) { return JobQueue::retryDead(db, tenant, job); })
            .result();
    };
    // Another tenant cannot see it, let alone retry it.
    EXPECT_TRUE(isError(retry(tenantB, id.value()), "not_found"));
    EXPECT_EQ(state(id.value()), QStringLiteral("dead"));
    ASSERT_TRUE(retry(tenantA, id.value()).ok());
    EXPECT_EQ(state(id.value()), QStringLiteral("queued"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT attempts FROM jobs")).toInt(), 0);
    EXPECT_TRUE(isError(retry(tenantA, id.value()), "not_found")); // not dead any more
    auto again = claim(QStringLiteral("w"));
    ASSERT_TRUE(isOk(again));
    ASSERT_EQ(again->size(), 1);
    EXPECT_EQ(again->first().attempts, 1);
    EXPECT_TRUE(complete(again->first()).ok());
}

} // namespace
} // namespace atende::test
