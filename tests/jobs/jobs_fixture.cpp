#include "tests/jobs/jobs_fixture.h"

#include "server/db/migrator.h"
#include "server/tenancy/tenant_repository.h"
#include "tests/support/test_postgres.h"

namespace atende::test {

using core::Result;
using core::Status;
using server::jobs::Job;
using server::jobs::JobQueue;

void JobsTest::SetUp()
{
    m_config = freshDatabase(QStringLiteral("jobs"));
    m_conn = std::make_unique<TestConnection>(m_config);
    ASSERT_TRUE(m_conn->isOpen()) << m_conn->openError().toStdString();
    Result<int> migrated = server::db::Migrator(server::db::Migrator::builtIn()).migrate(m_conn->db());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message.toStdString();
    m_db = std::make_unique<server::db::DbExecutor>(m_config, 2);
    ASSERT_TRUE(m_db->start().ok());
    tenantA = server::tenancy::TenantRepository::newId();
    tenantB = server::tenancy::TenantRepository::newId();
    for (const auto &[id, slug] :
         {std::pair{tenantA, QStringLiteral("acme")}, std::pair{tenantB, QStringLiteral("globex")}}) {
        const QUuid tid = id;
        const QString s = slug;
        Status st = m_db->runTenant(tid,
                                    [tid, s](QSqlDatabase &db) -> Status {
                                        auto t = server::tenancy::TenantRepository::create(db, tid, s, s);
                                        if (!t.ok())
                                            return t.error();
                                        return {};
                                    })
                        .result();
        ASSERT_TRUE(st.ok()) << st.error().message.toStdString();
    }
}

void JobsTest::TearDown()
{
    if (m_db)
        m_db->stop();
    m_db.reset();
    m_conn.reset();
}

Result<QUuid> JobsTest::enqueue(const QUuid &tenant, const QString &kind, const QJsonObject &payload,
                                const server::jobs::EnqueueOptions &options)
{
    return m_db
        ->runTenant(tenant, [tenant, kind, payload, options](
                                QSqlDatabase &db) { return JobQueue::enqueue(db, tenant, kind, payload, options); })
        .result();
}

void JobsTest::enqueueMany(const QUuid &tenant, const QString &kind, int n)
{
    Status st =
        m_db->runTenant(tenant,
                        [tenant, kind, n](QSqlDatabase &db) -> Status {
                            for (int i = 0; i < n; ++i) {
                                auto r = JobQueue::enqueue(db, tenant, kind, QJsonObject{{QStringLiteral("i"), i}});
                                if (!r.ok())
                                    return r.error();
                            }
                            return {};
                        })
            .result();
    ASSERT_TRUE(st.ok()) << st.error().message.toStdString();
}

Result<QList<Job>> JobsTest::claim(const QString &worker, int limit, int leaseSeconds, const QStringList &kinds)
{
    return m_db
        ->run([worker, limit, leaseSeconds, kinds](QSqlDatabase &db) {
            return JobQueue::claim(db, worker, kinds, limit, leaseSeconds);
        })
        .result();
}

Status JobsTest::complete(const Job &job)
{
    return m_db->runTenant(job.tenantId, [job](QSqlDatabase &db) { return JobQueue::complete(db, job); }).result();
}

Result<server::jobs::FailOutcome> JobsTest::fail(const Job &job, const QString &error, bool retryable,
                                                 std::chrono::milliseconds delay)
{
    return m_db
        ->runTenant(job.tenantId, [job, error, retryable, delay](
                                      QSqlDatabase &db) { return JobQueue::fail(db, job, error, retryable, delay); })
        .result();
}

QString JobsTest::state(const QUuid &id)
{
    return scalar(QStringLiteral("SELECT state FROM jobs WHERE id = '%1'").arg(text(id))).toString();
}

} // namespace atende::test
