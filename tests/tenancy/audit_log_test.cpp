// The audit log: per-tenant hash chain, verify() finds a row a superuser altered with the triggers off,
// the triggers reject UPDATE, DELETE and TRUNCATE even for a superuser, and concurrent appends to one
// tenant still form one unbroken chain.

#include "server/db/db_executor.h"
#include "server/db/sql_util.h"
#include "server/tenancy/audit_log.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"
#include "tests/tenancy/tenancy_fixture.h"

#include <QFuture>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

using namespace atende;
using server::tenancy::AuditEntry;
using server::tenancy::AuditLog;
using server::tenancy::AuditVerification;

namespace {

AuditEntry entry(int n)
{
    AuditEntry e;
    e.action = QStringLiteral("setting.change");
    e.objectType = QStringLiteral("setting");
    e.objectId = QStringLiteral("greeting");
    e.before = QJsonObject{{QStringLiteral("value"), n}, {QStringLiteral("text"), QStringLiteral("Olá, ação")}};
    e.after =
        QJsonObject{{QStringLiteral("value"), n + 1},
                    {QStringLiteral("nested"), QJsonObject{{QStringLiteral("b"), 1}, {QStringLiteral("a"), true}}}};
    return e;
}

bool fails(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return !q.exec(sql);
}

TEST(AuditLog, ChainVerifiesAndNamesTheTamperedRow)
{
    const server::db::DbConfig config = test::migratedDatabase(QStringLiteral("audit"));
    test::TestConnection conn(config);
    ASSERT_TRUE(conn.isOpen());
    const test::SeededTenant a = test::seedTenant(conn.db(), QStringLiteral("alpha"));
    const test::SeededTenant b = test::seedTenant(conn.db(), QStringLiteral("bravo"));
    const int seeded = conn.scalar(QStringLiteral("SELECT count(*) FROM audit_log")).toInt();

    for (const test::SeededTenant &t : {a, b}) {
        atende::core::Status st =
            server::db::tenantTransaction(conn.db(), t.id, [&](QSqlDatabase &db) -> atende::core::Status {
                for (int i = 0; i < 5; ++i) {
                    auto r = AuditLog::append(db, t.id, entry(i));
                    if (!r.ok())
                        return r.error();
                }
                return {};
            });
        ASSERT_TRUE(test::isOk(st));
    }
    auto v = AuditLog::verify(conn.db());
    ASSERT_TRUE(test::isOk(v));
    EXPECT_TRUE(v->intact) << v->reason.toStdString();
    EXPECT_EQ(v->rows, seeded + 10);
    EXPECT_EQ(v->tenants, 2);

    // A superuser turns the trigger off, rewrites one row's `after`, and turns it back on.
    const QString bId = b.id.toString(QUuid::WithoutBraces);
    ASSERT_TRUE(conn.exec(QStringLiteral("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;"
                                         "UPDATE audit_log SET after = '{\"value\": 999}' WHERE tenant_id = '%1' "
                                         "AND seq = 4;"
                                         "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete")
                              .arg(bId)));
    v = AuditLog::verify(conn.db());
    ASSERT_TRUE(test::isOk(v));
    EXPECT_FALSE(v->intact);
    EXPECT_EQ(v->brokenTenant, b.id);
    EXPECT_EQ(v->brokenSeq, 4);

    // With the triggers on, even the superuser cannot change history.
    EXPECT_TRUE(fails(conn.db(), QStringLiteral("UPDATE audit_log SET action = 'x' WHERE tenant_id = '%1'").arg(bId)));
    EXPECT_TRUE(fails(conn.db(), QStringLiteral("DELETE FROM audit_log WHERE tenant_id = '%1'").arg(bId)));
    EXPECT_TRUE(fails(conn.db(), QStringLiteral("TRUNCATE audit_log CASCADE")));
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM audit_log")).toInt(), seeded + 10);
}

TEST(AuditLog, DeletedRowIsReportedAsMissing)
{
    const server::db::DbConfig config = test::migratedDatabase(QStringLiteral("auditgap"));
    test::TestConnection conn(config);
    ASSERT_TRUE(conn.isOpen());
    const test::SeededTenant a = test::seedTenant(conn.db(), QStringLiteral("alpha"));
    ASSERT_TRUE(conn.exec(QStringLiteral("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;"
                                         "DELETE FROM audit_log WHERE tenant_id = '%1' AND seq = 2;"
                                         "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete")
                              .arg(a.id.toString(QUuid::WithoutBraces))));
    auto v = AuditLog::verify(conn.db());
    ASSERT_TRUE(test::isOk(v));
    EXPECT_FALSE(v->intact);
    EXPECT_EQ(v->brokenTenant, a.id);
    EXPECT_EQ(v->brokenSeq, 2);
}

TEST(AuditLog, ConcurrentAppendsStayOneChain)
{
    const server::db::DbConfig config = test::migratedDatabase(QStringLiteral("auditrace"));
    test::TestConnection conn(config);
    ASSERT_TRUE(conn.isOpen());
    const test::SeededTenant a = test::seedTenant(conn.db(), QStringLiteral("alpha"));
    const int seeded = conn.scalar(QStringLiteral("SELECT count(*) FROM audit_log")).toInt();

    server::db::DbExecutor executor(config, 4);
    ASSERT_TRUE(test::isOk(executor.start()));
    constexpr int kAppends = 80;
    QList<QFuture<atende::core::Result<server::tenancy::AuditRecord>>> futures;
    for (int i = 0; i < kAppends; ++i) {
        const QUuid tenant = a.id;
        futures << executor.runTenantKeyed(
            quint64(i), tenant, [tenant, i](QSqlDatabase &db) { return AuditLog::append(db, tenant, entry(i)); });
    }
    for (auto &f : futures)
        EXPECT_TRUE(test::isOk(f.result()));
    executor.stop();

    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM audit_log")).toInt(), seeded + kAppends);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT max(seq) FROM audit_log")).toInt(), seeded + kAppends);
    auto v = AuditLog::verify(conn.db());
    ASSERT_TRUE(test::isOk(v));
    EXPECT_TRUE(v->intact) << v->brokenSeq << " " << v->reason.toStdString();
    EXPECT_EQ(v->rows, seeded + kAppends);
}

} // namespace
