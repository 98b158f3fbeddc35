// KeyStore against real PostgreSQL: one data key per tenant, created once and shared by every KeyStore
// (instance) on the database, even when two first uses race; envelope round trips bound to the tenant and
// purpose; a wrong master key is refused at open().

#include "server/db/db_executor.h"
#include "server/secrets/error_codes.h"
#include "server/secrets/key_store.h"
#include "server/security/envelope.h"
#include "tests/secrets/secrets_fixture.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"

#include <QSqlError>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include <memory>

using namespace atende;
using atende::core::Result;
using server::secrets::KeyStore;
using server::security::DataKey;
using server::security::MasterKey;

namespace {

std::shared_ptr<KeyStore> openStore(server::db::DbExecutor &executor, const MasterKey &master)
{
    Result<std::shared_ptr<KeyStore>> store =
        executor.run([master](QSqlDatabase &db) { return KeyStore::open(master, db); }).result();
    EXPECT_TRUE(test::isOk(store));
    return store.ok() ? store.value() : nullptr;
}

Result<DataKey> tenantKey(server::db::DbExecutor &executor, const std::shared_ptr<KeyStore> &store, QUuid tenant,
                          quint64 worker = 0)
{
    return executor
        .runTenantKeyed(worker, tenant, [store, tenant](QSqlDatabase &db) { return store->tenantKey(db, tenant); })
        .result();
}

class KeyStoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_config = test::secretsDatabase(QStringLiteral("keystore"));
        m_conn = std::make_unique<test::TestConnection>(m_config);
        ASSERT_TRUE(m_conn->isOpen());
        m_a = test::createBareTenant(m_conn->db(), QStringLiteral("alpha"));
        m_b = test::createBareTenant(m_conn->db(), QStringLiteral("bravo"));
        Result<MasterKey> master = MasterKey::generate();
        ASSERT_TRUE(test::isOk(master));
        m_master = std::make_unique<MasterKey>(master.value());
    }

    int keyRows(const QUuid &tenant)
    {
        return m_conn
            ->scalar(QStringLiteral("SELECT count(*) FROM tenant_keys WHERE tenant_id = '%1'")
                         .arg(tenant.toString(QUuid::WithoutBraces)))
            .toInt();
    }

    server::db::DbConfig m_config;
    std::unique_ptr<test::TestConnection> m_conn;
    QUuid m_a;
    QUuid m_b;
    std::unique_ptr<MasterKey> m_master;
};

TEST_F(KeyStoreTest, DataKeyIsCreatedOncePerTenantAndSharedByEveryStore)
{
    server::db::DbExecutor one(m_config, 1);
    server::db::DbExecutor two(m_config, 1);
    ASSERT_TRUE(test::isOk(one.start()));
    ASSERT_TRUE(test::isOk(two.start()));
    const std::shared_ptr<KeyStore> first = openStore(one, *m_master);
    const std::shared_ptr<KeyStore> second = openStore(two, *m_master);
    ASSERT_TRUE(first && second);

    Result<DataKey> a1 = tenantKey(one, first, m_a);
    ASSERT_TRUE(test::isOk(a1));
    Result<DataKey> a1again = tenantKey(one, first, m_a); // from the cache
    Result<DataKey> a2 = tenantKey(two, second, m_a);     // another instance reads the stored row
    ASSERT_TRUE(test::isOk(a1again));
    ASSERT_TRUE(test::isOk(a2));
    EXPECT_EQ(a1->keyId(), a1again->keyId());
    EXPECT_EQ(a1->keyId(), a2->keyId());
    EXPECT_EQ(keyRows(m_a), 1);

    // The row holds the key wrapped by the master key, never the key itself.
    const QByteArray wrapped =
        m_conn
            ->scalar(QStringLiteral("SELECT wrapped_data_key FROM tenant_keys WHERE tenant_id = '%1'")
                         .arg(m_a.toString(QUuid::WithoutBraces)))
            .toByteArray();
    EXPECT_EQ(server::security::Envelope::keyIdOf(wrapped), m_master->keyId());
    EXPECT_FALSE(wrapped.contains(a1->key().toByteArray()));

    Result<DataKey> b = tenantKey(two, second, m_b);
    ASSERT_TRUE(test::isOk(b));
    EXPECT_NE(b->keyId(), a1->keyId());
    one.stop();
    two.stop();
}

TEST_F(KeyStoreTest, ConcurrentFirstUseCreatesOneRow)
{
    server::db::DbExecutor executor(m_config, 2);
    ASSERT_TRUE(test::isOk(executor.start()));
    const std::shared_ptr<KeyStore> first = openStore(executor, *m_master);
    const std::shared_ptr<KeyStore> second = openStore(executor, *m_master);
    ASSERT_TRUE(first && second);
    for (int i = 0; i < 6; ++i) {
        const QUuid tenant = test::createBareTenant(m_conn->db(), QStringLiteral("race-%1").arg(i));
        auto f1 = executor.runTenantKeyed(0, tenant,
                                          [first, tenant](QSqlDatabase &db) { return first->tenantKey(db, tenant); });
        auto f2 = executor.runTenantKeyed(1, tenant,
                                          [second, tenant](QSqlDatabase &db) { return second->tenantKey(db, tenant); });
        Result<DataKey> k1 = f1.result();
        Result<DataKey> k2 = f2.result();
        ASSERT_TRUE(test::isOk(k1));
        ASSERT_TRUE(test::isOk(k2));
        EXPECT_EQ(k1->keyId(), k2->keyId()) << "round " << i;
        EXPECT_EQ(keyRows(tenant), 1);
    }
    executor.stop();
}

TEST_F(KeyStoreTest, EncryptsForOneTenantAndPurposeOnly)
{
    server::db::DbExecutor executor(m_config, 1);
    ASSERT_TRUE(test::isOk(executor.start()));
    const std::shared_ptr<KeyStore> store = openStore(executor, *m_master);
    ASSERT_TRUE(store);
    const QUuid a = m_a;
    const QUuid b = m_b;
    const QByteArray secret("noise key of the WhatsApp session");
    const QString purpose = QStringLiteral("whatsapp_sessions/noise_key");

    Result<QByteArray> sealed =
        executor
            .runTenant(
                a, [store, a, secret, purpose](QSqlDatabase &db) { return store->encryptFor(db, a, secret, purpose); })
            .result();
    ASSERT_TRUE(test::isOk(sealed));
    EXPECT_FALSE(sealed->contains(secret));
    const QByteArray ct = sealed.value();

    Result<QByteArray> opened =
        executor
            .runTenant(a, [store, a, ct, purpose](QSqlDatabase &db) { return store->decryptFor(db, a, ct, purpose); })
            .result();
    ASSERT_TRUE(test::isOk(opened));
    EXPECT_EQ(opened.value(), secret);

    // Another tenant's key does not open it (not even with the right purpose)...
    Result<QByteArray> asB =
        executor
            .runTenant(b, [store, b, ct, purpose](QSqlDatabase &db) { return store->decryptFor(db, b, ct, purpose); })
            .result();
    EXPECT_TRUE(test::isError(asB, "envelope_wrong_key"));
    // ...and with tenant A's own key, the tenant id and the purpose are authenticated too.
    Result<DataKey> aKey = tenantKey(executor, store, a);
    ASSERT_TRUE(test::isOk(aKey));
    EXPECT_TRUE(
        test::isError(server::security::Envelope::decrypt(ct, aKey.value(), KeyStore::associatedData(b, purpose)),
                      "envelope_decrypt_failed"));
    EXPECT_TRUE(test::isError(
        server::security::Envelope::decrypt(ct, aKey.value(), KeyStore::associatedData(a, u"other/purpose")),
        "envelope_decrypt_failed"));
    executor.stop();
}

TEST_F(KeyStoreTest, WrongMasterKeyIsRefusedAtOpen)
{
    server::db::DbExecutor executor(m_config, 1);
    ASSERT_TRUE(test::isOk(executor.start()));
    const std::shared_ptr<KeyStore> store = openStore(executor, *m_master);
    ASSERT_TRUE(store);
    ASSERT_TRUE(test::isOk(tenantKey(executor, store, m_a)));

    Result<MasterKey> other = MasterKey::generate();
    ASSERT_TRUE(test::isOk(other));
    const MasterKey wrong = other.value();
    Result<std::shared_ptr<KeyStore>> refused =
        executor.run([wrong](QSqlDatabase &db) { return KeyStore::open(wrong, db); }).result();
    ASSERT_TRUE(test::isError(refused, server::secrets::errc::kMasterKeyMismatch));
    EXPECT_TRUE(refused.error().message.contains(m_master->keyIdHex())) << refused.error().message.toStdString();
    EXPECT_TRUE(refused.error().message.contains(wrong.keyIdHex()));
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("master_key_file")));

    // Without the platform row (e.g. restored from an older dump) the tenant rows still give it away, and
    // the refused start leaves no platform key of the wrong master behind.
    ASSERT_TRUE(m_conn->exec(QStringLiteral("DELETE FROM platform_keys")));
    refused = executor.run([wrong](QSqlDatabase &db) { return KeyStore::open(wrong, db); }).result();
    EXPECT_TRUE(test::isError(refused, server::secrets::errc::kMasterKeyMismatch));
    EXPECT_EQ(m_conn->scalar(QStringLiteral("SELECT count(*) FROM platform_keys")).toInt(), 0);

    // The right key still opens everything.
    Result<std::shared_ptr<KeyStore>> again =
        executor.run([master = *m_master](QSqlDatabase &db) { return KeyStore::open(master, db); }).result();
    EXPECT_TRUE(test::isOk(again));
    executor.stop();
}

TEST_F(KeyStoreTest, AppRoleCannotReadPlatformSecrets)
{
    server::db::DbExecutor executor(m_config, 1);
    ASSERT_TRUE(test::isOk(executor.start()));
    ASSERT_TRUE(openStore(executor, *m_master));
    executor.stop();
    ASSERT_TRUE(m_conn->exec(QStringLiteral("SET ROLE atende_app")));
    for (const char *table : {"platform_keys", "signing_keys"}) {
        QSqlQuery q(m_conn->db());
        EXPECT_FALSE(q.exec(QStringLiteral("SELECT * FROM %1").arg(QLatin1String(table)))) << table;
        EXPECT_EQ(q.lastError().nativeErrorCode(), QStringLiteral("42501")) << table;
    }
    ASSERT_TRUE(m_conn->exec(QStringLiteral("RESET ROLE")));
}

} // namespace
