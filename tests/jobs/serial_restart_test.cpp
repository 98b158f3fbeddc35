// JobQueue against real PostgreSQL, part 3 (migration 0019): jobs with a serial key run one after another in
// the order they were queued, and a restarted worker takes back the jobs its killed predecessor held.

#include "server/jobs/job_queue.h"
#include "tests/jobs/jobs_fixture.h"
#include "tests/support/status_assertions.h"

#include <QTest>

using namespace atende;
using core::Result;
using server::jobs::JobQueue;
using std::chrono::milliseconds;

namespace atende::test {
namespace {

TEST_F(JobsTest, JobsWithOneSerialKeyRunOneAfterAnotherInQueueOrder)
{
    QList<QUuid> ticket1;
    for (int i = 0; i < 3; ++i) {
        auto id = enqueue(tenantA, QStringLiteral("send"));
        ASSERT_TRUE(isOk(id));
        ticket1.append(id.value());
    }
    auto other = enqueue(tenantA, QStringLiteral("send"));
    ASSERT_TRUE(isOk(other));
    ASSERT_TRUE(exec(QStringLiteral("UPDATE jobs SET serial_key = 'ticket:1' WHERE id IN ('%1', '%2', '%3');"
                                    "UPDATE jobs SET serial_key = 'ticket:2' WHERE id = '%4'")
                         .arg(text(ticket1[0]), text(ticket1[1]), text(ticket1[2]), text(other.value()))));

    // Only the head of each key, however many slots are free.
    auto first = claim(QStringLiteral("w"), 10);
    ASSERT_TRUE(isOk(first));
    ASSERT_EQ(first->size(), 2);
    QList<QUuid> ids{first->at(0).id, first->at(1).id};
    EXPECT_TRUE(ids.contains(ticket1[0]));
    EXPECT_TRUE(ids.contains(other.value()));
    auto blocked = claim(QStringLiteral("w"), 10);
    ASSERT_TRUE(isOk(blocked));
    EXPECT_TRUE(blocked->isEmpty()); // the second waits while the first runs

    // The first fails and waits for its retry: what is behind it waits too (order over speed).
    const server::jobs::Job &head = first->at(0).id == ticket1[0] ? first->at(0) : first->at(1);
    ASSERT_TRUE(isOk(fail(head, QStringLiteral("peer_unreachable"), true, milliseconds(300))));
    auto stillBlocked = claim(QStringLiteral("w"), 10);
    ASSERT_TRUE(isOk(stillBlocked));
    EXPECT_TRUE(stillBlocked->isEmpty());
    QTest::qWait(400);
    auto retried = claim(QStringLiteral("w"), 10);
    ASSERT_TRUE(isOk(retried));
    ASSERT_EQ(retried->size(), 1);
    EXPECT_EQ(retried->first().id, ticket1[0]);
    ASSERT_TRUE(complete(retried->first()).ok());
    for (int i = 1; i < 3; ++i) {
        auto next = claim(QStringLiteral("w"), 10);
        ASSERT_TRUE(isOk(next));
        ASSERT_EQ(next->size(), 1);
        EXPECT_EQ(next->first().id, ticket1[i]);
        ASSERT_TRUE(complete(next->first()).ok());
    }
}

TEST_F(JobsTest, ARestartedWorkerTakesBackTheJobsItsPredecessorHeld)
{
    auto id = enqueue(tenantA, QStringLiteral("send"));
    ASSERT_TRUE(isOk(id));
    auto held = claim(QStringLiteral("instance-1:jobs"), 10, 60);
    ASSERT_TRUE(isOk(held));
    ASSERT_EQ(held->size(), 1);
    // The process dies; its successor has the same worker id. Another worker's jobs are not touched.
    auto foreign = enqueue(tenantA, QStringLiteral("send"));
    ASSERT_TRUE(isOk(foreign));
    ASSERT_EQ(claim(QStringLiteral("instance-2:jobs"), 10, 60)->size(), 1);
    Result<int> released =
        m_db->run([](QSqlDatabase &db) { return JobQueue::releaseWorker(db, QStringLiteral("instance-1:jobs")); })
            .result();
    ASSERT_TRUE(isOk(released));
    EXPECT_EQ(released.value(), 1);
    auto again = claim(QStringLiteral("instance-1:jobs"), 10, 60);
    ASSERT_TRUE(isOk(again));
    ASSERT_EQ(again->size(), 1); // at once, not after 60 s
    EXPECT_EQ(again->first().id, id.value());
    EXPECT_EQ(again->first().attempts, 2);
    EXPECT_EQ(state(foreign.value()), QStringLiteral("running"));
}

} // namespace
} // namespace atende::test
