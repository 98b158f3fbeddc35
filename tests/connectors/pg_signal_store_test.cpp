// PgSignalStore (migration 0016): Signal sessions, identities, sender keys and the consumption of one-time
// prekeys round-trip through PostgreSQL encrypted with the tenant's data key, a flush is all-or-nothing and
// fenced by ownership, clear() forgets the account, and RLS keeps tenants apart.

#include "server/connectors/connection_store.h"
#include "server/connectors/pg_signal_store.h"
#include "tests/connectors/connectors_fixture.h"
#include "tests/support/await.h"

namespace atende::test {

namespace cn = server::connectors;
namespace sg = server::signal;
using core::Result;
using core::Status;

namespace {

sg::SignalAddress addr(const char *name, int device)
{
    return sg::SignalAddress{QString::fromLatin1(name), device};
}

class PgSignalStoreTest : public ConnectorsTest {
protected:
    void SetUp() override
    {
        ConnectorsTest::SetUp();
        if (HasFatalFailure())
            return;
        m_id = createConnection("Vendas");
        ASSERT_TRUE(startPairing(m_id).ok());
        ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE whatsapp_sessions SET owner_instance_id = 'inst-1', "
                                                "lease_expires_at = now() + interval '1 minute' "
                                                "WHERE connection_id = '%1'")
                                     .arg(text(m_id))));
        m_store = std::make_unique<cn::PgSignalStore>(*m_db, m_keys, adminA.tenantId, m_id, QStringLiteral("inst-1"));
    }
    void savePreKeys(quint32 first, quint32 last)
    {
        const QUuid tenant = adminA.tenantId, id = m_id;
        auto keys = m_keys;
        QList<cn::PreKeyBlob> blobs;
        for (quint32 i = first; i <= last; ++i)
            blobs.append(cn::PreKeyBlob{i, QByteArray(32, char(i)) + QByteArray(32, char(i + 100))});
        Status s = m_db->runTenant(tenant,
                                   [=](QSqlDatabase &d) {
                                       return cn::ConnectionStore::savePreKeys(d, *keys, tenant, id,
                                                                               QStringLiteral("inst-1"), blobs);
                                   })
                       .result();
        ASSERT_TRUE(s.ok()) << s.error().message.toStdString();
    }
    int count(const QString &table) { return scalar(QStringLiteral("SELECT count(*) FROM %1").arg(table)).toInt(); }

    QUuid m_id;
    std::unique_ptr<cn::PgSignalStore> m_store;
};

const QByteArray kSessionRecord = QByteArrayLiteral("session-record-PLAINTEXT-0123456789abcdef");
const QByteArray kIdentity = QByteArray(1, '\x05') + QByteArray(32, 'I');
const QByteArray kSenderKey = QByteArrayLiteral("sender-key-record-PLAINTEXT-fedcba9876543210");

} // namespace

TEST_F(PgSignalStoreTest, RoundTripEncryptedAtRest)
{
    savePreKeys(1, 3);
    sg::SignalChanges changes;
    changes.sessions[addr("15550000001", 0)] = kSessionRecord;
    changes.sessions[addr("100000000000001_1", 3)] = kSessionRecord + "2";
    changes.identities[addr("15550000001", 0)] = kIdentity;
    changes.senderKeys[sg::SenderKeyName{QStringLiteral("120363000000000001@g.us"), addr("15550000001", 2)}] =
        kSenderKey;
    changes.removedPreKeys.insert(2);
    Status flushed = await(m_store->flush(changes));
    ASSERT_TRUE(flushed.ok()) << flushed.error().message.toStdString();

    // The raw rows hold no plaintext.
    for (const QString &sqlText :
         {QStringLiteral(
              "SELECT count(*) FROM whatsapp_signal_sessions WHERE position('PLAINTEXT'::bytea in record) > 0"),
          QStringLiteral("SELECT count(*) FROM whatsapp_signal_sender_keys WHERE position('PLAINTEXT'::bytea in "
                         "record) > 0"),
          QStringLiteral("SELECT count(*) FROM whatsapp_signal_identities WHERE position(decode(repeat('49', 32), "
                         "'hex') in identity_key) > 0")})
        EXPECT_EQ(scalar(sqlText).toInt(), 0) << sqlText.toStdString();
    EXPECT_EQ(count(QStringLiteral("whatsapp_signal_sessions")), 2);
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT count(*) FROM whatsapp_signal_sessions WHERE octet_length(key_id) = 8")).toInt(),
        2);

    Result<sg::SignalSnapshot> back = await(m_store->load());
    ASSERT_TRUE(back.ok()) << back.error().message.toStdString();
    ASSERT_EQ(back->sessions.size(), 2u);
    EXPECT_EQ(back->sessions.at(addr("15550000001", 0)), kSessionRecord);
    EXPECT_EQ(back->sessions.at(addr("100000000000001_1", 3)), kSessionRecord + "2");
    EXPECT_EQ(back->identities.at(addr("15550000001", 0)), kIdentity);
    EXPECT_EQ(back->senderKeys.at(sg::SenderKeyName{QStringLiteral("120363000000000001@g.us"), addr("15550000001", 2)}),
              kSenderKey);
    // Prekey 2 was consumed; 1 and 3 come back with their key pairs.
    ASSERT_EQ(back->preKeys.size(), 2);
    EXPECT_EQ(back->preKeys.at(0).id, 1u);
    EXPECT_EQ(back->preKeys.at(0).keyPair.privateKey, QByteArray(32, char(1)));
    EXPECT_EQ(back->preKeys.at(0).keyPair.publicKey, QByteArray(32, char(101)));
    EXPECT_EQ(back->preKeys.at(1).id, 3u);

    // Later changes: a session deleted, an identity replaced and one removed (empty value).
    sg::SignalChanges later;
    later.deletedSessions.insert(addr("15550000001", 0));
    later.identities[addr("15550000001", 0)] = QByteArray();
    later.identities[addr("15550000009", 0)] = kIdentity;
    ASSERT_TRUE(await(m_store->flush(later)).ok());
    back = await(m_store->load());
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->sessions.size(), 1u);
    EXPECT_EQ(back->sessions.count(addr("15550000001", 0)), 0u);
    EXPECT_EQ(back->identities.size(), 1u);
    EXPECT_EQ(back->identities.count(addr("15550000009", 0)), 1u);
}

TEST_F(PgSignalStoreTest, BatchIsAtomic)
{
    sg::SignalChanges first;
    first.sessions[addr("15550000001", 0)] = kSessionRecord;
    ASSERT_TRUE(await(m_store->flush(first)).ok());

    // The second batch updates the stored session and adds one whose address violates the table's check: the
    // whole batch rolls back, the first session keeps its old record.
    sg::SignalChanges bad;
    bad.sessions[addr("15550000001", 0)] = QByteArrayLiteral("newer record");
    bad.sessions[sg::SignalAddress{QString(300, QLatin1Char('9')), 1}] = QByteArrayLiteral("too long an address");
    bad.identities[addr("15550000002", 0)] = kIdentity;
    EXPECT_FALSE(await(m_store->flush(bad)).ok());
    Result<sg::SignalSnapshot> back = await(m_store->load());
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->sessions.size(), 1u);
    EXPECT_EQ(back->sessions.at(addr("15550000001", 0)), kSessionRecord);
    EXPECT_TRUE(back->identities.empty());
}

TEST_F(PgSignalStoreTest, OnlyTheOwnerFlushes)
{
    cn::PgSignalStore other(*m_db, m_keys, adminA.tenantId, m_id, QStringLiteral("inst-2"));
    sg::SignalChanges changes;
    changes.sessions[addr("15550000001", 0)] = kSessionRecord;
    Status s = await(other.flush(changes));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, QStringLiteral("conflict"));
    EXPECT_EQ(reasonOf(s.error()), QStringLiteral("not_owner"));
    EXPECT_EQ(count(QStringLiteral("whatsapp_signal_sessions")), 0);
}

TEST_F(PgSignalStoreTest, ClearForgetsEverything)
{
    savePreKeys(1, 4);
    sg::SignalChanges changes;
    changes.sessions[addr("15550000001", 0)] = kSessionRecord;
    changes.identities[addr("15550000001", 0)] = kIdentity;
    changes.senderKeys[sg::SenderKeyName{QStringLiteral("g@g.us"), addr("15550000001", 0)}] = kSenderKey;
    ASSERT_TRUE(await(m_store->flush(changes)).ok());
    ASSERT_TRUE(await(m_store->clear()).ok());
    for (const QString &t : {QStringLiteral("whatsapp_signal_sessions"), QStringLiteral("whatsapp_signal_identities"),
                             QStringLiteral("whatsapp_signal_sender_keys"), QStringLiteral("whatsapp_prekeys")})
        EXPECT_EQ(count(t), 0) << t.toStdString();
    Result<sg::SignalSnapshot> back = await(m_store->load());
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE(back->sessions.empty());
    EXPECT_TRUE(back->preKeys.isEmpty());
}

TEST_F(PgSignalStoreTest, TenantsAndRowsStayApart)
{
    sg::SignalChanges changes;
    changes.sessions[addr("15550000001", 0)] = kSessionRecord;
    changes.sessions[addr("15550000002", 0)] = kSessionRecord + "b";
    ASSERT_TRUE(await(m_store->flush(changes)).ok());

    // Tenant B asking for tenant A's connection sees nothing (RLS), and cannot write into it.
    cn::PgSignalStore asB(*m_db, m_keys, adminB.tenantId, m_id, QStringLiteral("inst-1"));
    Result<sg::SignalSnapshot> seen = await(asB.load());
    ASSERT_TRUE(seen.ok());
    EXPECT_TRUE(seen->sessions.empty());
    EXPECT_FALSE(await(asB.flush(changes)).ok());
    ASSERT_TRUE(await(asB.clear()).ok());
    EXPECT_EQ(count(QStringLiteral("whatsapp_signal_sessions")), 2);

    // A record moved to another address's row does not decrypt (the associated data names the row).
    ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE whatsapp_signal_sessions SET record = (SELECT record FROM "
                                            "whatsapp_signal_sessions WHERE address = '15550000002.0') "
                                            "WHERE address = '15550000001.0'")));
    EXPECT_FALSE(await(m_store->load()).ok());
}

} // namespace atende::test
