// `atende-server admin rotate-master-key` of the real binary: every wrapped key moves to the new master key
// in one go, data encrypted before the rotation still decrypts with the new key, the old key no longer opens
// anything (and is refused at open), signing keys survive, and running the command again changes nothing.

#include "server/db/db_executor.h"
#include "server/secrets/key_store.h"
#include "server/secrets/master_key_source.h"
#include "server/secrets/signing_key_store.h"
#include "server/security/envelope.h"
#include "tests/secrets/secrets_fixture.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace atende;
using atende::core::Result;
using server::secrets::KeyStore;
using server::secrets::MasterKeySource;
using server::secrets::SigningKeyStore;
using server::security::MasterKey;

namespace {

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runServer(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(ATENDE_SERVER_BINARY), args);
    CliRun r;
    if (!p.waitForStarted(10000))
        return r;
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

Result<std::shared_ptr<KeyStore>> openStore(server::db::DbExecutor &executor, const MasterKey &master)
{
    return executor.run([master](QSqlDatabase &db) { return KeyStore::open(master, db); }).result();
}

const QString kPurpose = QStringLiteral("test/secret");

TEST(RotateMasterKey, RewrapsEveryKeyAndIsIdempotent)
{
    const server::db::DbConfig config = test::secretsDatabase(QStringLiteral("rotate"));
    QTemporaryDir dataDir(QDir::tempPath() + QStringLiteral("/atende-rotate-XXXXXX"));
    ASSERT_TRUE(dataDir.isValid());
    const QString oldFile = dataDir.filePath(QStringLiteral("master.key"));
    const QString newFile = dataDir.filePath(QStringLiteral("master-2.key"));
    const QStringList common{QStringLiteral("--database-url=") + test::databaseUrl(config),
                             QStringLiteral("--data-dir=") + dataDir.path()};

    // Before: the server's default key file, two tenants with data keys and secrets, one signing key.
    Result<MasterKey> oldKey = MasterKeySource{oldFile, {}}.load();
    ASSERT_TRUE(test::isOk(oldKey));
    test::TestConnection conn(config);
    ASSERT_TRUE(conn.isOpen());
    const QUuid a = test::createBareTenant(conn.db(), QStringLiteral("alpha"));
    const QUuid b = test::createBareTenant(conn.db(), QStringLiteral("bravo"));
    QByteArray ctA;
    QByteArray ctB;
    QString kid;
    {
        server::db::DbExecutor executor(config, 1);
        ASSERT_TRUE(test::isOk(executor.start()));
        Result<std::shared_ptr<KeyStore>> store = openStore(executor, oldKey.value());
        ASSERT_TRUE(test::isOk(store));
        const std::shared_ptr<KeyStore> s = store.value();
        Result<QByteArray> sealedA =
            executor.runTenant(a, [s, a](QSqlDatabase &db) { return s->encryptFor(db, a, "secret of A", kPurpose); })
                .result();
        Result<QByteArray> sealedB =
            executor.runTenant(b, [s, b](QSqlDatabase &db) { return s->encryptFor(db, b, "secret of B", kPurpose); })
                .result();
        ASSERT_TRUE(test::isOk(sealedA));
        ASSERT_TRUE(test::isOk(sealedB));
        ctA = sealedA.value();
        ctB = sealedB.value();
        Result<server::security::KeyRing> ring =
            executor
                .run([master = oldKey.value()](QSqlDatabase &db) {
                    return SigningKeyStore::load(db, master, QDateTime::currentDateTimeUtc());
                })
                .result();
        ASSERT_TRUE(test::isOk(ring));
        kid = ring->active()->kid();
        executor.stop();
    }

    CliRun usage = runServer(QStringList{QStringLiteral("admin"), QStringLiteral("rotate-master-key")} + common);
    EXPECT_EQ(usage.exitCode, 2) << usage.err.toStdString();

    const QStringList rotate = QStringList{QStringLiteral("admin"), QStringLiteral("rotate-master-key"),
                                           QStringLiteral("--new-key-file=") + newFile} +
                               common;
    CliRun run = runServer(rotate);
    ASSERT_EQ(run.exitCode, 0) << run.err.toStdString() << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("re-wrapped 3 keys"))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("master_key_file = ") + newFile)) << run.out.toStdString();
    struct stat st {};
    ASSERT_EQ(::stat(QFile::encodeName(newFile).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    Result<MasterKey> newKey = MasterKey::loadFile(newFile);
    ASSERT_TRUE(test::isOk(newKey));
    EXPECT_TRUE(run.out.contains(newKey->keyIdHex()));
    EXPECT_FALSE(run.out.contains(QString::fromLatin1(newKey->toBase64()))); // never prints the key

    // Every row now says, and is, wrapped by the new key; the old key opens none of them.
    QSqlQuery rows(conn.db());
    ASSERT_TRUE(rows.exec(QStringLiteral("SELECT wrapped_data_key, master_key_id FROM tenant_keys "
                                         "UNION ALL SELECT wrapped_data_key, master_key_id FROM platform_keys")));
    int seen = 0;
    while (rows.next()) {
        ++seen;
        const QByteArray wrapped = rows.value(0).toByteArray();
        EXPECT_EQ(rows.value(1).toByteArray(), newKey->keyId());
        EXPECT_TRUE(test::isOk(server::security::Envelope::unwrap(wrapped, newKey.value())));
        EXPECT_TRUE(test::isError(server::security::Envelope::unwrap(wrapped, oldKey.value()), "envelope_wrong_key"));
    }
    EXPECT_EQ(seen, 3);

    {
        server::db::DbExecutor executor(config, 1);
        ASSERT_TRUE(test::isOk(executor.start()));
        EXPECT_TRUE(test::isError(openStore(executor, oldKey.value()), "master_key_mismatch"));
        Result<std::shared_ptr<KeyStore>> store = openStore(executor, newKey.value());
        ASSERT_TRUE(test::isOk(store));
        const std::shared_ptr<KeyStore> s = store.value();
        Result<QByteArray> openedA =
            executor.runTenant(a, [s, a, ctA](QSqlDatabase &db) { return s->decryptFor(db, a, ctA, kPurpose); })
                .result();
        Result<QByteArray> openedB =
            executor.runTenant(b, [s, b, ctB](QSqlDatabase &db) { return s->decryptFor(db, b, ctB, kPurpose); })
                .result();
        ASSERT_TRUE(test::isOk(openedA));
        ASSERT_TRUE(test::isOk(openedB));
        EXPECT_EQ(openedA.value(), QByteArray("secret of A"));
        EXPECT_EQ(openedB.value(), QByteArray("secret of B"));
        // The signing keys (encrypted with the platform key, which was only re-wrapped) still load.
        Result<server::security::KeyRing> ring =
            executor
                .run([master = newKey.value()](QSqlDatabase &db) {
                    return SigningKeyStore::load(db, master, QDateTime::currentDateTimeUtc());
                })
                .result();
        ASSERT_TRUE(test::isOk(ring));
        EXPECT_EQ(ring->active()->kid(), kid);
        executor.stop();
    }

    // Again, with the old configuration (an interrupted run being retried): nothing left to do.
    CliRun again = runServer(rotate);
    ASSERT_EQ(again.exitCode, 0) << again.err.toStdString();
    EXPECT_TRUE(again.out.contains(QStringLiteral("re-wrapped 0 keys"))) << again.out.toStdString();
    EXPECT_TRUE(again.out.contains(QStringLiteral("3 already used it"))) << again.out.toStdString();
    // And with the new key configured as the current one: also a no-op.
    CliRun switched = runServer(rotate + QStringList{QStringLiteral("--master-key-file=") + newFile});
    ASSERT_EQ(switched.exitCode, 0) << switched.err.toStdString();
    EXPECT_TRUE(switched.out.contains(QStringLiteral("re-wrapped 0 keys"))) << switched.out.toStdString();

    // A current key that matches nothing in the database aborts without changing a row.
    const QString strayFile = dataDir.filePath(QStringLiteral("stray.key"));
    CliRun stray = runServer(rotate + QStringList{QStringLiteral("--master-key-file=") + strayFile});
    EXPECT_EQ(stray.exitCode, 1) << stray.out.toStdString(); // missing current key file: not created
    EXPECT_FALSE(QFile::exists(strayFile));
}

} // namespace
