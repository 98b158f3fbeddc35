// DbExecutor::runTenant: the call runs as atende_app bound to one tenant, commits when it returns ok,
// rolls back on an error, cannot see another tenant, and leaves the connection unscoped afterwards.

#include "server/db/db_executor.h"
#include "server/db/sql_util.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"
#include "tests/tenancy/tenancy_fixture.h"

#include <QSqlQuery>

#include <gtest/gtest.h>

using namespace atende;
using atende::core::Result;
using atende::core::Status;

namespace {

Result<QString> scalarText(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    q.prepare(sql);
    if (Status s = server::db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no row"));
    return q.value(0).toString();
}

Status insertSector(QSqlDatabase &db, const QUuid &tenant, const QString &name)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO sectors (tenant_id, name) VALUES (?::uuid, ?)"));
    q.addBindValue(tenant.toString(QUuid::WithoutBraces));
    q.addBindValue(name);
    return server::db::exec(q);
}

TEST(RunTenant, CommitsOnOkRollsBackOnErrorAndSeesOnlyItsTenant)
{
    const server::db::DbConfig config = test::migratedDatabase(QStringLiteral("runtenant"));
    test::TestConnection conn(config);
    ASSERT_TRUE(conn.isOpen());
    const test::SeededTenant a = test::seedTenant(conn.db(), QStringLiteral("alpha"));
    const test::SeededTenant b = test::seedTenant(conn.db(), QStringLiteral("bravo"));

    server::db::DbExecutor executor(config, 1);
    ASSERT_TRUE(test::isOk(executor.start()));
    const QUuid aId = a.id;
    const QUuid bId = b.id;

    Status ok =
        executor.runTenant(aId, [aId](QSqlDatabase &db) { return insertSector(db, aId, QStringLiteral("Kept")); })
            .result();
    EXPECT_TRUE(test::isOk(ok));
    Status failed = executor
                        .runTenant(aId,
                                   [aId](QSqlDatabase &db) -> Status {
                                       if (Status s = insertSector(db, aId, QStringLiteral("Dropped")); !s.ok())
                                           return s;
                                       return atende::core::Error::make(atende::core::errc::kConflict,
                                                                        QStringLiteral("changed my mind"));
                                   })
                        .result();
    EXPECT_TRUE(test::isError(failed, "conflict"));
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM sectors WHERE name = 'Kept'")).toInt(), 1);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM sectors WHERE name = 'Dropped'")).toInt(), 0);

    // Writing into the other tenant is refused by the policy and rolled back.
    Status cross =
        executor.runTenant(aId, [bId](QSqlDatabase &db) { return insertSector(db, bId, QStringLiteral("Evil")); })
            .result();
    EXPECT_FALSE(cross.ok());
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM sectors WHERE name = 'Evil'")).toInt(), 0);

    // Reading: even a query without a tenant filter only sees A.
    Result<QString> seen = executor
                               .runTenant(aId,
                                          [](QSqlDatabase &db) {
                                              return scalarText(db, QStringLiteral("SELECT string_agg(DISTINCT "
                                                                                   "tenant_id::text, ',') FROM users"));
                                          })
                               .result();
    ASSERT_TRUE(test::isOk(seen));
    EXPECT_EQ(seen.value(), aId.toString(QUuid::WithoutBraces));
    Result<QString> role =
        executor.runTenant(aId, [](QSqlDatabase &db) { return scalarText(db, QStringLiteral("SELECT current_user")); })
            .result();
    ASSERT_TRUE(test::isOk(role));
    EXPECT_EQ(role.value(), QStringLiteral("atende_app"));

    // The same (only) worker afterwards: back to the owner, no tenant bound.
    Result<QString> after = executor
                                .run([](QSqlDatabase &db) {
                                    return scalarText(db, QStringLiteral("SELECT current_user || '|' || "
                                                                         "coalesce(current_setting('app.tenant_id', "
                                                                         "true), '')"));
                                })
                                .result();
    ASSERT_TRUE(test::isOk(after));
    EXPECT_EQ(after.value(), config.user + QStringLiteral("|"));

    // A null tenant is refused before anything runs.
    Status none =
        executor.runTenant(QUuid(), [aId](QSqlDatabase &db) { return insertSector(db, aId, QStringLiteral("None")); })
            .result();
    EXPECT_TRUE(test::isError(none, "invalid_argument"));
    executor.stop();
}

} // namespace
