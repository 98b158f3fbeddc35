// Credentials, prekeys and the pairing secret of a WhatsApp connection are stored encrypted with the
// tenant's data key (the raw columns never contain the plaintext), come back intact, and only the owner
// instance may write them.

#include "server/connectors/connection_store.h"
#include "server/security/envelope.h"
#include "tests/connectors/connectors_fixture.h"

namespace atende::test {

namespace cn = server::connectors;
using core::Result;
using core::Status;

namespace {

class ConnectionStoreTest : public ConnectorsTest {
protected:
    void SetUp() override
    {
        ConnectorsTest::SetUp();
        if (HasFatalFailure())
            return;
        m_id = createConnection("Vendas");
        ASSERT_TRUE(startPairing(m_id).ok());
        // Owned by "inst-1" (the fence of every write).
        ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE whatsapp_sessions SET owner_instance_id = 'inst-1', "
                                                "lease_expires_at = now() + interval '1 minute' "
                                                "WHERE connection_id = '%1'")
                                     .arg(text(m_id))));
    }
    Status saveCredentials(const QString &instance, const QByteArray &bytes, bool paired)
    {
        const QUuid tenant = adminA.tenantId, id = m_id;
        auto keys = m_keys;
        return m_db
            ->runTenant(tenant,
                        [=](QSqlDatabase &d) {
                            return cn::ConnectionStore::saveCredentials(d, *keys, tenant, id, instance, bytes, paired);
                        })
            .result();
    }
    Result<cn::SessionRow> load()
    {
        const QUuid tenant = adminA.tenantId, id = m_id;
        auto keys = m_keys;
        return m_db
            ->runTenant(tenant, [=](QSqlDatabase &d) { return cn::ConnectionStore::load(d, keys.get(), tenant, id); })
            .result();
    }
    QByteArray rawColumn(const QString &sql) { return scalar(sql.arg(text(m_id))).toByteArray(); }

    QUuid m_id;
};

} // namespace

TEST_F(ConnectionStoreTest, CredentialsRoundTripEncrypted)
{
    const QByteArray secret = QByteArrayLiteral("noise-private-key:0123456789abcdef0123456789abcdef;identity");
    ASSERT_TRUE(saveCredentials(QStringLiteral("inst-1"), secret, true).ok());

    const QByteArray raw =
        rawColumn(QStringLiteral("SELECT credentials FROM whatsapp_sessions WHERE connection_id = '%1'"));
    ASSERT_FALSE(raw.isEmpty());
    EXPECT_FALSE(raw.contains(secret));
    EXPECT_FALSE(raw.contains(QByteArrayLiteral("noise-private-key")));
    const QByteArray keyId =
        rawColumn(QStringLiteral("SELECT credentials_key_id FROM whatsapp_sessions WHERE connection_id = '%1'"));
    EXPECT_EQ(keyId, server::security::Envelope::keyIdOf(raw).value_or(QByteArray()));
    EXPECT_EQ(keyId.size(), 8);

    Result<cn::SessionRow> row = load();
    ASSERT_TRUE(row.ok()) << row.error().message.toStdString();
    EXPECT_EQ(row->credentials, secret);
    EXPECT_TRUE(row->paired);
    EXPECT_FALSE(row->needsPairing);
    EXPECT_TRUE(row->wanted);

    // The blob is bound to tenant A: copied to a connection of tenant B it does not decrypt.
    const QUuid tenantB = adminB.tenantId;
    auto keys = m_keys;
    Result<QByteArray> foreign =
        m_db->runTenant(tenantB,
                        [=](QSqlDatabase &d) {
                            return keys->decryptFor(d, tenantB, raw, QStringLiteral("whatsapp_sessions/credentials"));
                        })
            .result();
    EXPECT_FALSE(foreign.ok());
}

TEST_F(ConnectionStoreTest, OnlyTheOwnerWrites)
{
    const Status other = saveCredentials(QStringLiteral("inst-2"), QByteArrayLiteral("x"), false);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, QStringLiteral("conflict"));
    EXPECT_EQ(reasonOf(other.error()), QStringLiteral("not_owner"));
    EXPECT_TRUE(
        rawColumn(QStringLiteral("SELECT credentials FROM whatsapp_sessions WHERE connection_id = '%1'")).isEmpty());
}

TEST_F(ConnectionStoreTest, PreKeysRoundTripEncryptedAndClearForgetsAll)
{
    const QUuid tenant = adminA.tenantId, id = m_id;
    auto keys = m_keys;
    QList<cn::PreKeyBlob> preKeys;
    for (quint32 i = 1; i <= 5; ++i)
        preKeys.append(cn::PreKeyBlob{i, QByteArray(32, char('a' + i)) + QByteArray(32, char('A' + i))});
    Status saved = m_db->runTenant(tenant,
                                   [=](QSqlDatabase &d) {
                                       return cn::ConnectionStore::savePreKeys(d, *keys, tenant, id,
                                                                               QStringLiteral("inst-1"), preKeys);
                                   })
                       .result();
    ASSERT_TRUE(saved.ok()) << saved.error().message.toStdString();
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM whatsapp_prekeys WHERE connection_id = '%1' AND "
                                    "position(decode(repeat('62', 32), 'hex') in key_pair) > 0")
                         .arg(text(id)))
                  .toInt(),
              0);
    Result<QList<cn::PreKeyBlob>> back =
        m_db->runTenant(tenant, [=](QSqlDatabase &d) { return cn::ConnectionStore::loadPreKeys(d, *keys, tenant, id); })
            .result();
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->size(), 5);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(back->at(i).id, preKeys.at(i).id);
        EXPECT_EQ(back->at(i).keyPair, preKeys.at(i).keyPair);
    }

    ASSERT_TRUE(saveCredentials(QStringLiteral("inst-1"), QByteArrayLiteral("creds"), true).ok());
    Status cleared = m_db->runTenant(tenant,
                                     [=](QSqlDatabase &d) {
                                         return cn::ConnectionStore::clear(d, tenant, id, QStringLiteral("inst-1"));
                                     })
                         .result();
    ASSERT_TRUE(cleared.ok());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM whatsapp_prekeys WHERE connection_id = '%1'").arg(text(id)))
                  .toInt(),
              0);
    Result<cn::SessionRow> row = load();
    ASSERT_TRUE(row.ok());
    EXPECT_TRUE(row->credentials.isEmpty());
    EXPECT_FALSE(row->paired);
    EXPECT_TRUE(row->needsPairing);
    EXPECT_FALSE(row->wanted);
}

TEST_F(ConnectionStoreTest, PairingSecretIsEncryptedAndExpires)
{
    const QUuid tenant = adminA.tenantId, id = m_id;
    auto keys = m_keys;
    const QString qr = QStringLiteral("2@ref-abcdef,noise-pub,identity-pub,adv-secret");
    Status set = m_db->runTenant(tenant,
                                 [=](QSqlDatabase &d) {
                                     return cn::ConnectionStore::setPairingSecret(
                                         d, *keys, tenant, id, QStringLiteral("inst-1"),
                                         cn::PairingSecret{QStringLiteral("qr"), qr,
                                                           QDateTime::currentDateTimeUtc().addSecs(60)});
                                 })
                     .result();
    ASSERT_TRUE(set.ok());
    EXPECT_FALSE(rawColumn(QStringLiteral("SELECT pairing_secret FROM whatsapp_sessions WHERE connection_id = '%1'"))
                     .contains(qr.toUtf8()));
    // Never in the event log either.
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT count(*) FROM event_log WHERE position('ref-abcdef'::bytea in payload) > 0"))
            .toInt(),
        0);

    {
        atende::api::v1::GetPairingRequest req;
        req.set_id(text(id).toStdString());
        Result<atende::api::v1::PairingState> got =
            call<atende::api::v1::PairingState>("connections.pairing.get", adminA, req);
        ASSERT_TRUE(got.ok()) << got.error().message.toStdString();
        EXPECT_EQ(got->kind(), "qr");
        EXPECT_EQ(QString::fromStdString(got->value()), qr);
    }
    ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE whatsapp_sessions SET pairing_valid_until = now() - interval '1 s' "
                                            "WHERE connection_id = '%1'")
                                 .arg(text(id))));
    atende::api::v1::GetPairingRequest req;
    req.set_id(text(id).toStdString());
    Result<atende::api::v1::PairingState> expired =
        call<atende::api::v1::PairingState>("connections.pairing.get", adminA, req);
    ASSERT_TRUE(expired.ok());
    EXPECT_TRUE(expired->kind().empty());
    EXPECT_TRUE(expired->value().empty());
}

} // namespace atende::test
