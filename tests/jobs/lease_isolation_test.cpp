// JobQueue against real PostgreSQL, part 2: leases that expire (a worker died), Row-Level Security on jobs,
// and the cost of a claim with a long backlog.

#include "server/jobs/job_queue.h"
#include "tests/jobs/jobs_fixture.h"
#include "tests/support/status_assertions.h"

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>

using namespace atende;
using server::jobs::EnqueueOptions;
using server::jobs::JobQueue;
using std::chrono::milliseconds;

namespace atende::test {
namespace {

TEST_F(JobsTest, ExpiredLeaseIsClaimedAgainByAnotherWorker)
{
    auto id = enqueue(tenantA, QStringLiteral("send"));
    ASSERT_TRUE(isOk(id));
    auto mine = claim(QStringLiteral("dies"), 10, 1);
    ASSERT_TRUE(isOk(mine));
    ASSERT_EQ(mine->size(), 1);
    auto tooSoon = claim(QStringLiteral("survivor"));
    ASSERT_TRUE(isOk(tooSoon));
    EXPECT_TRUE(tooSoon->isEmpty());
    QTest::qWait(1200);
    auto taken = claim(QStringLiteral("survivor"));
    ASSERT_TRUE(isOk(taken));
    ASSERT_EQ(taken->size(), 1);
    EXPECT_EQ(taken->first().id, id.value());
    EXPECT_EQ(taken->first().attempts, 2);
    // The first claimant comes back to life: its result is refused, the survivor's counts.
    EXPECT_TRUE(isError(complete(mine->first()), "conflict"));
    EXPECT_TRUE(isError(fail(mine->first(), QStringLiteral("x"), true, milliseconds(1)), "conflict"));
    EXPECT_TRUE(complete(taken->first()).ok());
    EXPECT_EQ(state(id.value()), QStringLiteral("done"));
}

TEST_F(JobsTest, ExpiredLeaseOnTheLastAttemptGoesDead)
{
    EnqueueOptions o;
    o.maxAttempts = 1;
    auto id = enqueue(tenantA, QStringLiteral("crashy"), {}, o);
    ASSERT_TRUE(isOk(id));
    auto c = claim(QStringLiteral("dies"), 10, 1);
    ASSERT_TRUE(isOk(c));
    ASSERT_EQ(c->size(), 1);
    QTest::qWait(1200);
    auto none = claim(QStringLiteral("survivor"));
    ASSERT_TRUE(isOk(none));
    EXPECT_TRUE(none->isEmpty());
    EXPECT_EQ(state(id.value()), QStringLiteral("dead"));
    EXPECT_TRUE(scalar(QStringLiteral("SELECT last_error LIKE 'lease expired%' FROM jobs")).toBool());
}

TEST_F(JobsTest, AppRoleBoundToTenantASeesNoJobOfTenantB)
{
    enqueueMany(tenantA, QStringLiteral("send"), 3);
    enqueueMany(tenantB, QStringLiteral("send"), 2);
    auto run = [this](const QString &sql) {
        return scalar(sql);
    };
    ASSERT_TRUE(exec(QStringLiteral("BEGIN; SET LOCAL ROLE atende_app; SELECT set_config('app.tenant_id', '%1', true)")
                         .arg(text(tenantA))));
    EXPECT_EQ(run(QStringLiteral("SELECT count(*) FROM jobs")).toInt(), 3);
    EXPECT_EQ(run(QStringLiteral("SELECT count(*) FROM jobs WHERE tenant_id = '%1'").arg(text(tenantB))).toInt(), 0);
    {
        QSqlQuery q(m_conn->db());
        ASSERT_TRUE(q.exec(QStringLiteral("UPDATE jobs SET state = 'done' WHERE tenant_id = '%1'").arg(text(tenantB))));
        EXPECT_EQ(q.numRowsAffected(), 0);
    }
    ASSERT_TRUE(exec(QStringLiteral("ROLLBACK")));
    // Without a tenant: nothing.
    ASSERT_TRUE(exec(QStringLiteral("BEGIN; SET LOCAL ROLE atende_app")));
    EXPECT_EQ(run(QStringLiteral("SELECT count(*) FROM jobs")).toInt(), 0);
    ASSERT_TRUE(exec(QStringLiteral("ROLLBACK")));
    EXPECT_EQ(run(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 'queued'")).toInt(), 5);
    // The dead-letter list is per tenant too.
    ASSERT_TRUE(exec(QStringLiteral("UPDATE jobs SET state = 'dead', finished_at = now()")));
    auto deadA =
        m_db->runTenant(tenantA, [a = tenantA](QSqlDatabase &db) { return JobQueue::listDead(db, a, 100); }).result();
    ASSERT_TRUE(isOk(deadA));
    EXPECT_EQ(deadA->size(), 3);
    // Even asking for B's rows while bound to A returns nothing.
    auto sneaky =
        m_db->runTenant(tenantA, [b = tenantB](QSqlDatabase &db) { return JobQueue::listDead(db, b, 100); }).result();
    ASSERT_TRUE(isOk(sneaky));
    EXPECT_TRUE(sneaky->isEmpty());
}

TEST_F(JobsTest, ClaimStaysCheapWithALongBacklog)
{
    // 20,000 due jobs and 20,000 finished ones, written directly as superuser.
    ASSERT_TRUE(exec(QStringLiteral("INSERT INTO jobs (tenant_id, kind, run_at) SELECT '%1', 'bulk', "
                                    "now() - make_interval(secs => g) FROM generate_series(1, 20000) g; "
                                    "INSERT INTO jobs (tenant_id, kind, state, finished_at) SELECT '%2', 'bulk', "
                                    "'done', now() FROM generate_series(1, 20000) g; ANALYZE jobs")
                         .arg(text(tenantA), text(tenantB))));
    QList<qint64> times;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer clock;
        clock.start();
        auto c = claim(QStringLiteral("w"), 10);
        times << clock.nsecsElapsed() / 1000;
        ASSERT_TRUE(isOk(c));
        ASSERT_EQ(c->size(), 10);
    }
    std::sort(times.begin(), times.end());
    std::printf("[ measure ] claim of 10 with a 20,000-job backlog: median %lld us, max %lld us\n", times.at(10),
                times.last());
    EXPECT_LT(times.at(10), 50000);
    // Oldest run_at first.
    EXPECT_EQ(scalar(QStringLiteral("SELECT max(run_at) <= (SELECT min(run_at) FROM jobs WHERE state = 'queued') "
                                    "FROM jobs WHERE state = 'running'"))
                  .toBool(),
              true);
}

} // namespace
} // namespace atende::test
