// Jobs of a WhatsApp connection run on the instance that owns it (migration 0017): a message job carries
// its message's connection, and jobs_claim() hands it only to the live owner; without a live owner (no lease,
// an expired one, a test connection) any instance claims it.

#include "server/desk/inbox.h"
#include "server/jobs/job_queue.h"
#include "tests/connectors/connectors_fixture.h"
#include "tests/support/await.h"

namespace atende::test {

using core::Result;
using server::jobs::Job;
using server::jobs::JobQueue;

namespace {

class JobOwnershipTest : public ConnectorsTest {
protected:
    void SetUp() override
    {
        ConnectorsTest::SetUp();
        if (HasFatalFailure())
            return;
        m_wa = createConnection("WhatsApp");
        ASSERT_TRUE(startPairing(m_wa).ok()); // creates the whatsapp_sessions row
        m_test = createConnection("Teste", "test");
    }
    // An inbound message on `connection` and a message.read job for it; returns the job id.
    QUuid queueReadJob(const QUuid &connection, const QString &externalId)
    {
        server::desk::Inbox inbox(*m_db, nullptr);
        server::desk::InboundMessage m;
        m.tenantId = adminA.tenantId;
        m.connectionId = connection;
        m.senderKind = QStringLiteral("wa_phone");
        m.senderValue = QStringLiteral("5511987650001");
        m.externalId = externalId;
        m.body = QStringLiteral("oi");
        Result<server::desk::IngestResult> in = await(inbox.ingest(m));
        EXPECT_TRUE(in.ok());
        if (!in.ok())
            return {};
        const QUuid tenant = adminA.tenantId;
        const QString messageId = text(in->messageId);
        Result<QUuid> job =
            m_db->runTenant(tenant,
                            [=](QSqlDatabase &d) {
                                return JobQueue::enqueue(d, tenant, QStringLiteral("message.read"),
                                                         QJsonObject{{QStringLiteral("message_id"), messageId}});
                            })
                .result();
        EXPECT_TRUE(job.ok());
        return job.ok() ? job.value() : QUuid();
    }
    QList<Job> claim(const QString &instance)
    {
        Result<QList<Job>> r = m_db->run([instance](QSqlDatabase &d) {
                                       return JobQueue::claim(d, instance + QStringLiteral(":jobs"),
                                                              {QStringLiteral("message.read")}, 10, 60, instance);
                                   })
                                   .result();
        EXPECT_TRUE(r.ok()) << (r.ok() ? std::string() : r.error().message.toStdString());
        return r.ok() ? r.value() : QList<Job>();
    }
    void own(const QString &instance, const QString &lease)
    {
        ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE whatsapp_sessions SET owner_instance_id = '%1', "
                                                "lease_expires_at = now() + interval '%2' WHERE connection_id = '%3'")
                                     .arg(instance, lease, text(m_wa))));
    }

    QUuid m_wa, m_test;
};

} // namespace

TEST_F(JobOwnershipTest, OnlyTheLiveOwnerClaimsAConnectionsJobs)
{
    own(QStringLiteral("inst-1"), QStringLiteral("1 minute"));
    const QUuid waJob = queueReadJob(m_wa, QStringLiteral("WA-1"));
    const QUuid testJob = queueReadJob(m_test, QStringLiteral("T-1"));
    // The job carries its message's connection.
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT connection_id::text FROM jobs WHERE id = '%1'").arg(text(waJob))).toString(),
        text(m_wa));

    // inst-2 gets the test connection's job, never the one inst-1 owns.
    QList<Job> second = claim(QStringLiteral("inst-2"));
    ASSERT_EQ(second.size(), 1);
    EXPECT_EQ(second.first().id, testJob);
    EXPECT_TRUE(claim(QStringLiteral("inst-2")).isEmpty());
    // The owner gets it.
    QList<Job> first = claim(QStringLiteral("inst-1"));
    ASSERT_EQ(first.size(), 1);
    EXPECT_EQ(first.first().id, waJob);
}

TEST_F(JobOwnershipTest, WithoutALiveOwnerAnyInstanceClaims)
{
    // An expired lease: the owner is gone, the job must not wait for it.
    own(QStringLiteral("inst-1"), QStringLiteral("-1 second"));
    const QUuid waJob = queueReadJob(m_wa, QStringLiteral("WA-2"));
    QList<Job> claimed = claim(QStringLiteral("inst-2"));
    ASSERT_EQ(claimed.size(), 1);
    EXPECT_EQ(claimed.first().id, waJob);

    // No owner at all (never claimed, or released).
    ASSERT_TRUE(
        m_conn->exec(QStringLiteral("UPDATE whatsapp_sessions SET owner_instance_id = NULL, lease_expires_at = NULL")));
    const QUuid again = queueReadJob(m_wa, QStringLiteral("WA-3"));
    claimed = claim(QStringLiteral("inst-3"));
    ASSERT_EQ(claimed.size(), 1);
    EXPECT_EQ(claimed.first().id, again);
}

} // namespace atende::test
