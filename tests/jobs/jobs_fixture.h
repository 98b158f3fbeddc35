#pragma once
// A fresh migrated database with two tenants (A, B), a DbExecutor on it, a superuser TestConnection, and
// synchronous shorthands for the JobQueue calls (each runs on the executor and waits for the result).

#include "common/core/result.h"
#include "server/db/db_config.h"
#include "server/db/db_executor.h"
#include "server/jobs/job_queue.h"
#include "tests/support/await.h"
#include "tests/support/test_connection.h"

#include <QUuid>

#include <gtest/gtest.h>

#include <memory>

namespace atende::test {

class JobsTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    core::Result<QUuid> enqueue(const QUuid &tenant, const QString &kind, const QJsonObject &payload = {},
                                const server::jobs::EnqueueOptions &options = {});
    // Enqueues n jobs of `kind` for `tenant` in one transaction.
    void enqueueMany(const QUuid &tenant, const QString &kind, int n);
    core::Result<QList<server::jobs::Job>> claim(const QString &worker, int limit = 10, int leaseSeconds = 60,
                                                 const QStringList &kinds = {});
    core::Status complete(const server::jobs::Job &job);
    core::Result<server::jobs::FailOutcome> fail(const server::jobs::Job &job, const QString &error, bool retryable,
                                                 std::chrono::milliseconds delay);

    // As superuser.
    QVariant scalar(const QString &sql) { return m_conn->scalar(sql); }
    bool exec(const QString &sql) { return m_conn->exec(sql); }
    QString state(const QUuid &id);
    static QString text(const QUuid &id) { return id.toString(QUuid::WithoutBraces); }

    server::db::DbConfig m_config;
    std::unique_ptr<TestConnection> m_conn;
    std::unique_ptr<server::db::DbExecutor> m_db;
    QUuid tenantA, tenantB;
};

} // namespace atende::test
