// JobWorker against real PostgreSQL: two workers on two executors never run a job twice, LISTEN/NOTIFY wakes
// an idle worker long before its poll, a dead worker's expired lease is taken over, failing handlers retry
// and go dead, and stop() drains.

#include "server/jobs/job_worker.h"
#include "tests/jobs/jobs_fixture.h"
#include "tests/support/status_assertions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTest>

#include <qcoro/qcorotimer.h>

#include <algorithm>

using namespace atende;
using server::jobs::Job;
using server::jobs::JobWorker;
using std::chrono::milliseconds;

namespace atende::test {
namespace {

JobWorker::Options options(const QString &id, int pollMs = 200)
{
    JobWorker::Options o;
    o.workerId = id;
    o.pollIntervalMs = pollMs;
    return o;
}

TEST_F(JobsTest, TwoWorkersRunEachOfFiveHundredJobsExactlyOnce)
{
    auto db2 = std::make_unique<server::db::DbExecutor>(m_config, 2);
    ASSERT_TRUE(db2->start().ok());
    QHash<QUuid, int> runs;
    QHash<QString, int> perWorker;
    auto handlerFor = [&](const QString &worker) {
        return [&runs, &perWorker, worker](Job job) -> QCoro::Task<core::Status> {
            ++runs[job.id];
            ++perWorker[worker];
            co_await QCoro::sleepFor(milliseconds(1)); // a real await, so handlers interleave
            co_return core::Status();
        };
    };
    JobWorker w1(*m_db, options(QStringLiteral("w1")));
    JobWorker w2(*db2, options(QStringLiteral("w2")));
    w1.registerHandler(QStringLiteral("send"), handlerFor(QStringLiteral("w1")));
    w2.registerHandler(QStringLiteral("send"), handlerFor(QStringLiteral("w2")));
    ASSERT_TRUE(w1.start().ok());
    ASSERT_TRUE(w2.start().ok());

    QElapsedTimer clock;
    clock.start();
    enqueueMany(tenantA, QStringLiteral("send"), 250);
    enqueueMany(tenantB, QStringLiteral("send"), 250);
    const bool allDone = QTest::qWaitFor([&] { return w1.stats().completed + w2.stats().completed >= 500; }, 90000);
    const qint64 ms = clock.elapsed();
    EXPECT_TRUE(allDone);
    EXPECT_TRUE(isOk(await(w1.stop())));
    EXPECT_TRUE(isOk(await(w2.stop())));
    std::printf("[ measure ] 500 jobs by 2 workers in %lld ms (%.0f jobs/s): w1 %d, w2 %d; claims w1 %lld w2 %lld\n",
                ms, 500.0 * 1000.0 / double(qMax<qint64>(1, ms)), perWorker.value(QStringLiteral("w1")),
                perWorker.value(QStringLiteral("w2")), w1.stats().claims, w2.stats().claims);

    EXPECT_EQ(runs.size(), 500);
    EXPECT_TRUE(std::all_of(runs.cbegin(), runs.cend(), [](int n) { return n == 1; }));
    EXPECT_EQ(w1.stats().completed + w2.stats().completed, 500);
    EXPECT_EQ(w1.stats().lostLeases + w2.stats().lostLeases, 0);
    EXPECT_GT(perWorker.value(QStringLiteral("w1")), 0);
    EXPECT_GT(perWorker.value(QStringLiteral("w2")), 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 'done' AND attempts = 1")).toInt(), 500);
    db2->stop();
}

TEST_F(JobsTest, NotifyWakesAnIdleWorkerLongBeforeItsPoll)
{
    QElapsedTimer clock;
    qint64 ranAt = -1;
    JobWorker worker(*m_db, options(QStringLiteral("idle"), 5000)); // the poll alone would take up to 5 s
    worker.registerHandler(QStringLiteral("ping"), [&](Job) -> QCoro::Task<core::Status> {
        ranAt = clock.elapsed();
        co_return core::Status();
    });
    ASSERT_TRUE(worker.start().ok());
    ASSERT_TRUE(worker.isListening());
    QList<qint64> latencies;
    for (int i = 0; i < 5; ++i) {
        QTest::qWait(300); // idle: the start-up claim is long done, the next poll is seconds away
        ranAt = -1;
        clock.start();
        ASSERT_TRUE(isOk(enqueue(tenantA, QStringLiteral("ping"))));
        ASSERT_TRUE(QTest::qWaitFor([&] { return ranAt >= 0; }, 10000));
        latencies << ranAt;
    }
    std::sort(latencies.begin(), latencies.end());
    std::printf("[ measure ] NOTIFY wake latency (enqueue start -> handler), 5 runs: min %lld ms, median %lld ms, "
                "max %lld ms; notifications %lld\n",
                latencies.first(), latencies.at(2), latencies.last(), worker.stats().notifications);
    EXPECT_LT(latencies.last(), 1000);
    EXPECT_GE(worker.stats().notifications, 5);
    EXPECT_TRUE(isOk(await(worker.stop())));
}

TEST_F(JobsTest, WorkerTakesOverTheExpiredLeaseOfADeadWorker)
{
    auto id = enqueue(tenantA, QStringLiteral("send"));
    ASSERT_TRUE(isOk(id));
    auto dead = claim(QStringLiteral("crashed"), 10, 1); // claims, then "dies": never completes or renews
    ASSERT_TRUE(isOk(dead));
    ASSERT_EQ(dead->size(), 1);
    QElapsedTimer clock;
    clock.start();
    int runs = 0;
    JobWorker worker(*m_db, options(QStringLiteral("survivor"), 100));
    worker.registerHandler(QStringLiteral("send"), [&](Job job) -> QCoro::Task<core::Status> {
        EXPECT_EQ(job.attempts, 2);
        ++runs;
        co_return core::Status();
    });
    ASSERT_TRUE(worker.start().ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return worker.stats().completed == 1; }, 10000));
    std::printf("[ measure ] expired 1 s lease taken over after %lld ms\n", clock.elapsed());
    EXPECT_GE(clock.elapsed(), 800);
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(state(id.value()), QStringLiteral("done"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT attempts FROM jobs")).toInt(), 2);
    EXPECT_TRUE(isOk(await(worker.stop())));
}

TEST_F(JobsTest, WorkerRetriesAFailingHandlerThenBuriesIt)
{
    JobWorker::Options o = options(QStringLiteral("w"), 50);
    o.retry.base = milliseconds(100);
    JobWorker worker(*m_db, o);
    int flaky = 0, broken = 0;
    worker.registerHandler(QStringLiteral("flaky"), [&](Job) -> QCoro::Task<core::Status> {
        ++flaky;
        co_return core::Error::make(core::errc::kUnavailable, QStringLiteral("try later"));
    });
    worker.registerHandler(QStringLiteral("broken"), [&](Job) -> QCoro::Task<core::Status> {
        ++broken;
        co_return core::Error::make(core::errc::kInvalidArgument, QStringLiteral("no such number"));
    });
    ASSERT_TRUE(worker.start().ok());
    server::jobs::EnqueueOptions three;
    three.maxAttempts = 3;
    auto f = enqueue(tenantA, QStringLiteral("flaky"), {}, three);
    auto b = enqueue(tenantA, QStringLiteral("broken"), {}, three);
    ASSERT_TRUE(isOk(f));
    ASSERT_TRUE(isOk(b));
    ASSERT_TRUE(QTest::qWaitFor([&] { return worker.stats().dead == 2; }, 10000));
    EXPECT_EQ(flaky, 3);
    EXPECT_EQ(broken, 1);
    EXPECT_EQ(worker.stats().retried, 2);
    EXPECT_EQ(state(f.value()), QStringLiteral("dead"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT last_error FROM jobs WHERE kind = 'broken'")).toString(),
              QStringLiteral("invalid_argument: no such number"));

    // Dead-letter retry: the worker picks it up again (NOTIFY on dead -> queued).
    auto retried =
        m_db->runTenant(tenantA, [a = tenantA, id = b.value()](
                                     QSqlDatabase &db) { return server::jobs::JobQueue::retryDead(db, a, id); })
            .result();
    ASSERT_TRUE(retried.ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return broken == 2; }, 5000));
    EXPECT_TRUE(isOk(await(worker.stop())));
}

TEST_F(JobsTest, RenewedLeaseOutlivesItsLengthWhileTheHandlerRuns)
{
    JobWorker::Options o = options(QStringLiteral("long"), 100);
    o.leaseSeconds = 1; // renewed every 333 ms
    JobWorker worker(*m_db, o);
    bool started = false;
    worker.registerHandler(QStringLiteral("long"), [&](Job) -> QCoro::Task<core::Status> {
        started = true;
        co_await QCoro::sleepFor(milliseconds(2500));
        co_return core::Status();
    });
    ASSERT_TRUE(worker.start().ok());
    auto id = enqueue(tenantA, QStringLiteral("long"));
    ASSERT_TRUE(isOk(id));
    ASSERT_TRUE(QTest::qWaitFor([&] { return started; }, 5000));
    // Well past the 1 s lease: a rival claimer still finds nothing to take over.
    for (int i = 0; i < 4; ++i) {
        QTest::qWait(500);
        auto rival = claim(QStringLiteral("rival"), 10, 60, {QStringLiteral("long")});
        ASSERT_TRUE(isOk(rival));
        EXPECT_TRUE(rival->isEmpty()) << "after " << (i + 1) * 500 << " ms";
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return worker.stats().completed == 1; }, 5000));
    EXPECT_EQ(worker.stats().lostLeases, 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT attempts FROM jobs")).toInt(), 1);
    EXPECT_EQ(state(id.value()), QStringLiteral("done"));
    EXPECT_TRUE(isOk(await(worker.stop())));
}

TEST_F(JobsTest, StopDrainsRunningJobs)
{
    JobWorker worker(*m_db, options(QStringLiteral("w")));
    worker.registerHandler(QStringLiteral("slow"), [](Job) -> QCoro::Task<core::Status> {
        co_await QCoro::sleepFor(milliseconds(300));
        co_return core::Status();
    });
    ASSERT_TRUE(worker.start().ok());
    enqueueMany(tenantA, QStringLiteral("slow"), 6);
    ASSERT_TRUE(QTest::qWaitFor([&] { return worker.running() == 4; }, 5000));
    EXPECT_TRUE(isOk(await(worker.stop())));
    EXPECT_EQ(worker.running(), 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 'done'")).toInt(), 4);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 'queued'")).toInt(), 2);
}

} // namespace
} // namespace atende::test
