// The real atende-server binary's admin commands against a fresh database: create-tenant, create-user
// (the printed password logs in), audit verify (exit 0), then a superuser alters one audit row and
// audit verify exits 1 naming that tenant and seq.

#include "server/security/password_hasher.h"
#include "server/tenancy/user_repository.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace atende;

namespace {

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runServer(const QStringList &args, const QByteArray &stdinData = {})
{
    QProcess p;
    p.start(QStringLiteral(ATENDE_SERVER_BINARY), args);
    CliRun r;
    if (!p.waitForStarted(10000))
        return r;
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

TEST(AdminCli, CreatesTenantAndUserAndVerifiesTheAuditLog)
{
    const server::db::DbConfig db = test::freshDatabase(QStringLiteral("cli"));
    const QString url = test::databaseUrl(db);
    QTemporaryDir dataDir(QDir::tempPath() + QStringLiteral("/atende-cli-XXXXXX"));
    ASSERT_TRUE(dataDir.isValid());
    const QStringList common{QStringLiteral("--database-url=") + url, QStringLiteral("--data-dir=") + dataDir.path()};

    CliRun tenant = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("create-tenant"),
                                          QStringLiteral("--name=Loja Exemplo"), QStringLiteral("--slug=loja")} +
                              common);
    ASSERT_EQ(tenant.exitCode, 0) << tenant.err.toStdString();
    const QRegularExpressionMatch tm =
        QRegularExpression(QStringLiteral("tenant created: loja ([0-9a-f-]{36})")).match(tenant.out);
    ASSERT_TRUE(tm.hasMatch()) << tenant.out.toStdString();
    const QString tenantId = tm.captured(1);

    // The same slug again is a conflict.
    CliRun again = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("create-tenant"),
                                         QStringLiteral("--name=Other"), QStringLiteral("--slug=loja")} +
                             common);
    EXPECT_EQ(again.exitCode, 1);

    CliRun user = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("create-user"),
                                        QStringLiteral("--tenant=loja"), QStringLiteral("--email=Dona@Loja.com.br"),
                                        QStringLiteral("--name=Dona"), QStringLiteral("--role=admin")} +
                            common);
    ASSERT_EQ(user.exitCode, 0) << user.err.toStdString();
    const QRegularExpressionMatch pm = QRegularExpression(QStringLiteral("password: (\\S+)")).match(user.out);
    ASSERT_TRUE(pm.hasMatch()) << user.out.toStdString();
    const QString password = pm.captured(1);
    EXPECT_EQ(password.size(), 20);
    EXPECT_TRUE(user.out.contains(QStringLiteral("dona@loja.com.br")));

    CliRun piped =
        runServer(QStringList{QStringLiteral("admin"), QStringLiteral("create-user"), QStringLiteral("--tenant=loja"),
                              QStringLiteral("--email=agente@loja.com.br"), QStringLiteral("--name=Agente"),
                              QStringLiteral("--role=agent"), QStringLiteral("--password-stdin")} +
                      common,
                  "senha-do-agente\n");
    ASSERT_EQ(piped.exitCode, 0) << piped.err.toStdString();
    EXPECT_FALSE(piped.out.contains(QStringLiteral("password:")));

    CliRun badRole = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("create-user"),
                                           QStringLiteral("--tenant=loja"), QStringLiteral("--email=x@loja.com.br"),
                                           QStringLiteral("--name=X"), QStringLiteral("--role=root")} +
                               common);
    EXPECT_EQ(badRole.exitCode, 1);
    CliRun usage = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("create-user")} + common);
    EXPECT_EQ(usage.exitCode, 2);

    // The printed password is the stored one.
    {
        test::TestConnection conn(db);
        ASSERT_TRUE(conn.isOpen());
        auto login = server::tenancy::UserRepository::findForLogin(conn.db(), QStringLiteral("DONA@loja.com.br"));
        ASSERT_TRUE(test::isOk(login));
        ASSERT_TRUE(login->has_value());
        EXPECT_EQ((*login)->tenantId.toString(QUuid::WithoutBraces), tenantId);
        EXPECT_EQ((*login)->role, QStringLiteral("admin"));
        EXPECT_TRUE(server::security::PasswordHasher().verify(password, (*login)->passwordHash));
    }

    CliRun ok = runServer(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + common);
    EXPECT_EQ(ok.exitCode, 0) << ok.err.toStdString();
    EXPECT_TRUE(ok.out.contains(QStringLiteral("audit log intact: 3 rows in 1 tenants"))) << ok.out.toStdString();

    {
        test::TestConnection conn(db);
        ASSERT_TRUE(conn.exec(QStringLiteral("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;"
                                             "UPDATE audit_log SET after = jsonb_set(after, '{role}', '\"agent\"') "
                                             "WHERE tenant_id = '%1' AND seq = 2;"
                                             "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete")
                                  .arg(tenantId)));
    }
    CliRun broken = runServer(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + common);
    EXPECT_EQ(broken.exitCode, 1) << broken.err.toStdString();
    EXPECT_TRUE(broken.out.contains(tenantId)) << broken.out.toStdString();
    EXPECT_TRUE(broken.out.contains(QStringLiteral("(loja) seq 2"))) << broken.out.toStdString();
}

// The README's run command prepares its demo tenant with `admin demo`: three users with passwords that are
// generated and printed on every run (never stored in plain text), so a second run prints new ones and the
// old ones stop working. `admin reset-password` does the same for one user.
TEST(AdminCli, DemoTenantPrintsFreshPasswordsOnEveryRun)
{
    const server::db::DbConfig db = test::freshDatabase(QStringLiteral("demo"));
    const QString url = test::databaseUrl(db);
    QTemporaryDir dataDir(QDir::tempPath() + QStringLiteral("/atende-cli-XXXXXX"));
    const QStringList common{QStringLiteral("--database-url=") + url, QStringLiteral("--data-dir=") + dataDir.path()};
    const auto passwordOf = [](const QString &out, const QString &email) {
        for (const QString &line : out.split(QLatin1Char('\n')))
            if (line.contains(email))
                return line.split(QLatin1Char(' '), Qt::SkipEmptyParts).last();
        return QString();
    };
    const QString admin = QStringLiteral("admin@demo.atende.example");

    CliRun first = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("demo")} + common);
    ASSERT_EQ(first.exitCode, 0) << first.err.toStdString();
    EXPECT_TRUE(first.out.contains(QStringLiteral("created")));
    CliRun second = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("demo")} + common);
    ASSERT_EQ(second.exitCode, 0) << second.err.toStdString();
    const QString p1 = passwordOf(first.out, admin), p2 = passwordOf(second.out, admin);
    ASSERT_GE(p1.size(), 16);
    ASSERT_GE(p2.size(), 16);
    EXPECT_NE(p1, p2);

    test::TestConnection conn(db);
    const QString hash =
        conn.scalar(QStringLiteral("SELECT password_hash FROM users WHERE email = '%1'").arg(admin)).toString();
    const server::security::PasswordHasher hasher;
    EXPECT_TRUE(hasher.verify(p2, hash));
    EXPECT_FALSE(hasher.verify(p1, hash));
    EXPECT_FALSE(hash.contains(p2));
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id "
                                         "WHERE t.slug = 'demo'"))
                  .toInt(),
              3);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM sectors")).toInt(), 2);

    CliRun reset = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("reset-password"),
                                         QStringLiteral("--email=") + admin} +
                             common);
    ASSERT_EQ(reset.exitCode, 0) << reset.err.toStdString();
    const QString p3 = reset.out.section(QStringLiteral("password: "), 1).section(QLatin1Char('\n'), 0, 0);
    const QString hash3 =
        conn.scalar(QStringLiteral("SELECT password_hash FROM users WHERE email = '%1'").arg(admin)).toString();
    EXPECT_TRUE(hasher.verify(p3, hash3));
    EXPECT_FALSE(hasher.verify(p2, hash3));
    CliRun unknown = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("reset-password"),
                                           QStringLiteral("--email=nobody@nowhere.example")} +
                               common);
    EXPECT_EQ(unknown.exitCode, 1);
}

} // namespace
