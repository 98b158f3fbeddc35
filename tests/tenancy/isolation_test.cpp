// Raw SQL as the server's role (issue 3, item 5, second test): with app.tenant_id bound to tenant A, no row
// of tenant B is visible, changeable or insertable in ANY public table that has a tenant_id column (found
// in information_schema, so tables added later are covered without touching this file), and nothing at
// all is visible without a tenant. Also checks the catalog: RLS enabled and forced everywhere, and
// atende_app owns nothing and cannot bypass RLS.

#include "tests/support/test_connection.h"
#include "tests/tenancy/tenancy_fixture.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <gtest/gtest.h>

using namespace atende;

namespace {

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QStringList tenantTables(test::TestConnection &conn)
{
    QStringList out;
    QSqlQuery q(conn.db());
    EXPECT_TRUE(q.exec(QStringLiteral("SELECT c.table_name FROM information_schema.columns c "
                                      "JOIN information_schema.tables t USING (table_schema, table_name) "
                                      "WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' "
                                      "AND t.table_type = 'BASE TABLE' ORDER BY 1")))
        << q.lastError().text().toStdString();
    while (q.next())
        out << q.value(0).toString();
    return out;
}

// A statement inside a savepoint, so that an expected failure does not abort the surrounding transaction.
struct Attempt {
    bool ok = false;
    int rows = -1;
    QString sqlState;
};

Attempt attempt(QSqlDatabase &db, const QString &sql, const QVariant &bind = {})
{
    QSqlQuery sp(db);
    EXPECT_TRUE(sp.exec(QStringLiteral("SAVEPOINT attempt")));
    Attempt a;
    // q outlives the ROLLBACK TO SAVEPOINT: QPSQL deallocates its prepared statement on destruction, which
    // would fail (and warn) inside the aborted transaction.
    QSqlQuery q(db);
    q.prepare(sql);
    if (bind.isValid())
        q.addBindValue(bind);
    a.ok = q.exec();
    a.rows = a.ok ? q.numRowsAffected() : -1;
    a.sqlState = q.lastError().nativeErrorCode();
    EXPECT_TRUE(
        sp.exec(a.ok ? QStringLiteral("RELEASE SAVEPOINT attempt") : QStringLiteral("ROLLBACK TO SAVEPOINT attempt")));
    return a;
}

class Isolation : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_config = test::migratedDatabase(QStringLiteral("isolation"));
        m_conn = std::make_unique<test::TestConnection>(m_config);
        ASSERT_TRUE(m_conn->isOpen());
        m_a = test::seedTenant(m_conn->db(), QStringLiteral("alpha"));
        m_b = test::seedTenant(m_conn->db(), QStringLiteral("bravo"));
        ASSERT_FALSE(m_a.id.isNull());
        ASSERT_FALSE(m_b.id.isNull());
    }

    void beginAsApp(const QUuid &tenant)
    {
        ASSERT_TRUE(m_conn->exec(QStringLiteral("BEGIN; SET LOCAL ROLE atende_app")));
        if (!tenant.isNull()) {
            ASSERT_TRUE(
                m_conn->exec(QStringLiteral("SELECT set_config('app.tenant_id', '%1', true)").arg(uuidText(tenant))));
        }
    }

    server::db::DbConfig m_config;
    std::unique_ptr<test::TestConnection> m_conn;
    test::SeededTenant m_a;
    test::SeededTenant m_b;
};

TEST_F(Isolation, DiscoversEveryTenantOwnedTable)
{
    const QStringList tables = tenantTables(*m_conn);
    for (const char *expected : {"users", "sectors", "user_sectors", "tenant_keys", "audit_log", "event_sequences"})
        EXPECT_TRUE(tables.contains(QLatin1String(expected))) << expected;
}

TEST_F(Isolation, AppRoleBoundToTenantASeesAndTouchesNoRowOfTenantB)
{
    const QStringList tables = tenantTables(*m_conn);
    ASSERT_FALSE(tables.isEmpty());
    int checked = 0;
    for (const QString &table : tables) {
        SCOPED_TRACE(table.toStdString());
        // As the superuser: B's rows exist (so the checks below mean something), and one of them as JSON.
        const QString bWhere = QStringLiteral("tenant_id = '%1'").arg(uuidText(m_b.id));
        const int bRows =
            m_conn->scalar(QStringLiteral("SELECT count(*) FROM \"%1\" WHERE %2").arg(table, bWhere)).toInt();
        const int aRows =
            m_conn
                ->scalar(
                    QStringLiteral("SELECT count(*) FROM \"%1\" WHERE tenant_id = '%2'").arg(table, uuidText(m_a.id)))
                .toInt();
        EXPECT_GT(bRows, 0) << "no seed rows for tenant-owned table " << table.toStdString()
                            << ": add them in tests/tenancy/tenancy_fixture.cpp seedTenant()";
        const QVariant bRow = bRows > 0 ? m_conn->scalar(QStringLiteral("SELECT row_to_json(t)::text FROM \"%1\" t "
                                                                        "WHERE %2 LIMIT 1")
                                                             .arg(table, bWhere))
                                        : QVariant();

        beginAsApp(m_a.id);
        EXPECT_EQ(m_conn->scalar(QStringLiteral("SELECT count(*) FROM \"%1\" WHERE %2").arg(table, bWhere)).toInt(), 0);
        EXPECT_EQ(m_conn->scalar(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(table)).toInt(), aRows);

        // UPDATE/DELETE of B's rows change nothing: either no row matches or the role may not do it at all.
        const Attempt upd = attempt(
            m_conn->db(), QStringLiteral("UPDATE \"%1\" SET tenant_id = tenant_id WHERE %2").arg(table, bWhere));
        EXPECT_TRUE((upd.ok && upd.rows == 0) || upd.sqlState == QLatin1String("42501")) << upd.sqlState.toStdString();
        const Attempt del = attempt(m_conn->db(), QStringLiteral("DELETE FROM \"%1\" WHERE %2").arg(table, bWhere));
        EXPECT_TRUE((del.ok && del.rows == 0) || del.sqlState == QLatin1String("42501")) << del.sqlState.toStdString();
        // Re-inserting a copy of B's row (tenant_id = B) is refused by the policy's WITH CHECK.
        if (bRow.isValid()) {
            // Only the columns an INSERT may name (not generated, not GENERATED ALWAYS AS IDENTITY).
            const QString columns =
                m_conn
                    ->scalar(QStringLiteral("SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) "
                                            "FROM information_schema.columns WHERE table_schema = 'public' "
                                            "AND table_name = '%1' AND is_generated = 'NEVER' "
                                            "AND coalesce(identity_generation, '') <> 'ALWAYS'")
                                 .arg(table))
                    .toString();
            const Attempt ins = attempt(m_conn->db(),
                                        QStringLiteral("INSERT INTO \"%1\" (%2) SELECT %2 FROM "
                                                       "json_populate_record(NULL::\"%1\", ?::json)")
                                            .arg(table, columns),
                                        bRow);
            EXPECT_FALSE(ins.ok);
            EXPECT_EQ(ins.sqlState, QStringLiteral("42501"));
        }
        ASSERT_TRUE(m_conn->exec(QStringLiteral("ROLLBACK")));

        // Nothing changed for B.
        EXPECT_EQ(m_conn->scalar(QStringLiteral("SELECT count(*) FROM \"%1\" WHERE %2").arg(table, bWhere)).toInt(),
                  bRows);
        ++checked;
    }
    EXPECT_GE(checked, 6);

    // tenants itself is keyed by id.
    beginAsApp(m_a.id);
    EXPECT_EQ(m_conn->scalar(QStringLiteral("SELECT count(*) FROM tenants")).toInt(), 1);
    EXPECT_EQ(
        m_conn->scalar(QStringLiteral("SELECT count(*) FROM tenants WHERE id = '%1'").arg(uuidText(m_b.id))).toInt(),
        0);
    const Attempt upd =
        attempt(m_conn->db(), QStringLiteral("UPDATE tenants SET name = 'x' WHERE id = '%1'").arg(uuidText(m_b.id)));
    EXPECT_TRUE(upd.ok && upd.rows == 0);
    const Attempt ins = attempt(m_conn->db(), QStringLiteral("INSERT INTO tenants (id, name, slug) "
                                                             "VALUES (gen_random_uuid(), 'Evil', 'evil')"));
    EXPECT_FALSE(ins.ok);
    EXPECT_EQ(ins.sqlState, QStringLiteral("42501"));
    ASSERT_TRUE(m_conn->exec(QStringLiteral("ROLLBACK")));
}

TEST_F(Isolation, AppRoleWithoutTenantSeesNothing)
{
    QStringList tables = tenantTables(*m_conn);
    tables << QStringLiteral("tenants");
    // Twice: on a fresh session (setting undefined) and after a tenant-bound transaction has left the
    // placeholder defined as '' (which must still match nothing rather than fail).
    for (int round = 0; round < 2; ++round) {
        if (round == 1) {
            beginAsApp(m_a.id);
            ASSERT_TRUE(m_conn->exec(QStringLiteral("COMMIT")));
        }
        beginAsApp({});
        for (const QString &table : std::as_const(tables)) {
            SCOPED_TRACE(table.toStdString());
            EXPECT_EQ(m_conn->scalar(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(table)).toInt(), 0);
        }
        ASSERT_TRUE(m_conn->exec(QStringLiteral("ROLLBACK")));
    }
}

TEST_F(Isolation, EveryTenantTableForcesRowLevelSecurityAndTheAppRoleIsPowerless)
{
    QStringList tables = tenantTables(*m_conn);
    tables << QStringLiteral("tenants");
    for (const QString &table : std::as_const(tables)) {
        SCOPED_TRACE(table.toStdString());
        EXPECT_TRUE(m_conn
                        ->scalar(QStringLiteral("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                                                "WHERE oid = 'public.\"%1\"'::regclass")
                                     .arg(table))
                        .toBool());
        EXPECT_GE(
            m_conn
                ->scalar(QStringLiteral("SELECT count(*) FROM pg_policy WHERE polrelid = 'public.\"%1\"'::regclass")
                             .arg(table))
                .toInt(),
            1);
    }
    EXPECT_EQ(m_conn
                  ->scalar(QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                                          "WHERE r.rolname = 'atende_app'"))
                  .toInt(),
              0);
    EXPECT_FALSE(
        m_conn
            ->scalar(QStringLiteral("SELECT rolbypassrls OR rolsuper OR rolcanlogin FROM pg_roles WHERE rolname = "
                                    "'atende_app'"))
            .toBool());
    // Only atende_app may call the login lookup.
    EXPECT_FALSE(m_conn
                     ->scalar(QStringLiteral("SELECT has_function_privilege('public', "
                                             "'auth_find_user_by_email(text)', 'EXECUTE')"))
                     .toBool());
    EXPECT_FALSE(
        m_conn->scalar(QStringLiteral("SELECT has_table_privilege('atende_app', 'audit_log', 'UPDATE')")).toBool());
}

} // namespace
