// SigningKeyStore against real PostgreSQL: instances starting together agree on one active key, a token
// signed by one instance verifies on another, rotation keeps the previous key for verification until it
// expires, and the stored private keys are encrypted.

#include "server/db/db_executor.h"
#include "server/secrets/signing_key_store.h"
#include "server/security/jwt.h"
#include "tests/secrets/secrets_fixture.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"

#include <QJsonObject>

#include <gtest/gtest.h>

using namespace atende;
using atende::core::Result;
using server::secrets::SigningKeyStore;
using server::security::KeyRing;
using server::security::MasterKey;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 11, 1), QTime(12, 0), Qt::UTC);

class SigningKeyStoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_config = test::secretsDatabase(QStringLiteral("signing"));
        Result<MasterKey> master = MasterKey::generate();
        ASSERT_TRUE(test::isOk(master));
        m_master = std::make_unique<MasterKey>(master.value());
        m_executor = std::make_unique<server::db::DbExecutor>(m_config, 2);
        ASSERT_TRUE(test::isOk(m_executor->start()));
    }
    void TearDown() override
    {
        if (m_executor)
            m_executor->stop();
    }

    Result<KeyRing> load(const QDateTime &now, quint64 worker = 0)
    {
        return m_executor
            ->runKeyed(worker,
                       [master = *m_master, now](QSqlDatabase &db) { return SigningKeyStore::load(db, master, now); })
            .result();
    }

    int rows()
    {
        test::TestConnection conn(m_config);
        return conn.scalar(QStringLiteral("SELECT count(*) FROM signing_keys")).toInt();
    }

    server::db::DbConfig m_config;
    std::unique_ptr<MasterKey> m_master;
    std::unique_ptr<server::db::DbExecutor> m_executor;
};

QJsonObject claims(const QDateTime &now, qint64 lifetimeSeconds)
{
    return QJsonObject{{QStringLiteral("sub"), QStringLiteral("user-1")},
                       {QStringLiteral("exp"), double(now.toSecsSinceEpoch() + lifetimeSeconds)}};
}

TEST_F(SigningKeyStoreTest, ConcurrentFirstLoadsAgreeOnOneActiveKey)
{
    auto f1 = m_executor->runKeyed(
        0, [master = *m_master](QSqlDatabase &db) { return SigningKeyStore::load(db, master, kT0); });
    auto f2 = m_executor->runKeyed(
        1, [master = *m_master](QSqlDatabase &db) { return SigningKeyStore::load(db, master, kT0); });
    Result<KeyRing> one = f1.result();
    Result<KeyRing> two = f2.result();
    ASSERT_TRUE(test::isOk(one));
    ASSERT_TRUE(test::isOk(two));
    ASSERT_NE(one->active(), nullptr);
    ASSERT_NE(two->active(), nullptr);
    EXPECT_EQ(one->active()->kid(), two->active()->kid());
    EXPECT_EQ(rows(), 1);

    // Loading again is a read: same key, no new row.
    Result<KeyRing> later = load(kT0.addDays(1));
    ASSERT_TRUE(test::isOk(later));
    EXPECT_EQ(later->active()->kid(), one->active()->kid());
    EXPECT_EQ(rows(), 1);
}

TEST_F(SigningKeyStoreTest, TokenSignedByOneInstanceVerifiesOnAnother)
{
    Result<KeyRing> ring1 = load(kT0, 0);
    Result<KeyRing> ring2 = load(kT0, 1);
    ASSERT_TRUE(test::isOk(ring1));
    ASSERT_TRUE(test::isOk(ring2));
    const server::security::Jwt instance1(ring1.value());
    const server::security::Jwt instance2(ring2.value());
    Result<QString> token = instance1.sign(claims(kT0, 600));
    ASSERT_TRUE(test::isOk(token));
    Result<QJsonObject> verified = instance2.verify(QStringView(token.value()), kT0.toSecsSinceEpoch());
    ASSERT_TRUE(test::isOk(verified));
    EXPECT_EQ(verified->value(QStringLiteral("sub")).toString(), QStringLiteral("user-1"));
}

TEST_F(SigningKeyStoreTest, RotationKeepsThePreviousKeyForVerificationUntilItExpires)
{
    Result<KeyRing> first = load(kT0);
    ASSERT_TRUE(test::isOk(first));
    const QString oldKid = first->active()->kid();
    const QDateTime rotated = kT0.addDays(30).addSecs(60);
    // Signed just before the rotation, valid for a day.
    const QDateTime signedAt = kT0.addDays(30).addSecs(-60);
    Result<QString> oldToken = server::security::Jwt(first.value()).sign(claims(signedAt, 24 * 3600));
    ASSERT_TRUE(test::isOk(oldToken));

    Result<KeyRing> second = load(rotated);
    ASSERT_TRUE(test::isOk(second));
    ASSERT_NE(second->active(), nullptr);
    const QString newKid = second->active()->kid();
    EXPECT_NE(newKid, oldKid);
    const server::security::SigningKey *old = second->find(oldKid);
    ASSERT_NE(old, nullptr);
    EXPECT_FALSE(old->canSign()); // retired keys are loaded verify-only
    EXPECT_EQ(rows(), 2);

    const server::security::Jwt jwt(second.value());
    EXPECT_TRUE(test::isOk(jwt.verify(QStringView(oldToken.value()), rotated.toSecsSinceEpoch())));
    Result<QString> newToken = jwt.sign(claims(rotated, 600));
    ASSERT_TRUE(test::isOk(newToken));
    // An instance still on the old ring does not know the new kid: its cue to load() again.
    EXPECT_TRUE(test::isError(
        server::security::Jwt(first.value()).verify(QStringView(newToken.value()), rotated.toSecsSinceEpoch()),
        "jwt_unknown_kid"));

    // A second instance rotating at the same moment reuses the new key.
    Result<KeyRing> other = load(rotated, 1);
    ASSERT_TRUE(test::isOk(other));
    EXPECT_EQ(other->active()->kid(), newKid);
    EXPECT_EQ(rows(), 2);

    // Past retires_at + retainDays the old key is gone from the ring.
    Result<KeyRing> much = load(kT0.addDays(33));
    ASSERT_TRUE(test::isOk(much));
    EXPECT_EQ(much->find(oldKid), nullptr);
    EXPECT_EQ(much->active()->kid(), newKid);
}

TEST_F(SigningKeyStoreTest, StoredPrivateKeysAreEncrypted)
{
    Result<KeyRing> ring = load(kT0);
    ASSERT_TRUE(test::isOk(ring));
    const QByteArray rawPrivate = ring->active()->rawPrivateKey();
    ASSERT_EQ(rawPrivate.size(), 32);
    test::TestConnection conn(m_config);
    const QString where = QStringLiteral(" FROM signing_keys WHERE kid = '%1'").arg(ring->active()->kid());
    const QByteArray stored = conn.scalar(QStringLiteral("SELECT encrypted_private_key") + where).toByteArray();
    const QByteArray publicKey = conn.scalar(QStringLiteral("SELECT public_key") + where).toByteArray();
    EXPECT_GT(stored.size(), rawPrivate.size());
    EXPECT_FALSE(stored.contains(rawPrivate));
    EXPECT_FALSE(stored.contains(rawPrivate.left(16)));
    EXPECT_EQ(publicKey, ring->active()->rawPublicKey());

    // Another master key cannot load the keys at all.
    Result<MasterKey> other = MasterKey::generate();
    ASSERT_TRUE(test::isOk(other));
    Result<KeyRing> refused =
        m_executor->run([master = other.value()](QSqlDatabase &db) { return SigningKeyStore::load(db, master, kT0); })
            .result();
    EXPECT_TRUE(test::isError(refused, "master_key_mismatch"));
}

} // namespace
