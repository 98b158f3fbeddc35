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

} // namespace
