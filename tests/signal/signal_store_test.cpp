// Write-behind storage: the state survives a store round trip (flush → new account from load → the ratchet
// continues), failed operations queue nothing, failed flushes keep their changes for the next one.

#include "test_peer.h"

#include "server/signal/error_codes.h"
#include "tests/support/await.h"
#include "tests/support/status_assertions.h"

#include <gtest/gtest.h>
#include <iostream>

namespace atende::test {
namespace {

using namespace server::signal;

class SignalStoreTest : public ::testing::Test {
protected:
    SignalContext context;
    TestPeer alice{context, SignalAddress{QStringLiteral("100000000000001_1"), 3}};
    TestPeer bob{context, SignalAddress{QStringLiteral("200000000000002_1"), 5}};

    void exchange(TestPeer &from, TestPeer &to, const QByteArray &text)
    {
        auto encrypted = from.account->encrypt(to.address, text);
        ASSERT_TRUE(isOk(encrypted));
        auto decrypted = to.account->decrypt(from.address, encrypted->type, encrypted->bytes);
        ASSERT_TRUE(isOk(decrypted));
        EXPECT_EQ(decrypted->plaintext, text);
    }
};

TEST_F(SignalStoreTest, StateSurvivesARestartFromTheStore)
{
    ASSERT_TRUE(isOk(alice.account->processPreKeyBundle(bob.address, bob.bundle(1))));
    exchange(alice, bob, "before restart");
    exchange(bob, alice, "reply before restart");
    const QByteArray group = "120363000000000001@g.us";
    auto skdm = alice.account->createSenderKeyDistribution(QString::fromLatin1(group), alice.address);
    ASSERT_TRUE(isOk(skdm));
    ASSERT_TRUE(isOk(bob.account->processSenderKeyDistribution(QString::fromLatin1(group), alice.address, *skdm)));

    alice.restart();
    bob.restart();
    EXPECT_TRUE(alice.account->hasSession(bob.address));
    EXPECT_TRUE(bob.account->hasSession(alice.address));
    EXPECT_EQ(bob.account->preKeyCount(), 2); // prekey 1 was consumed and that was stored
    EXPECT_EQ(bob.store->snapshot().preKeys.size(), 2);
    EXPECT_EQ(bob.store->snapshot().identities.count(alice.address), 1u);

    for (int i = 0; i < 3; ++i) {
        exchange(alice, bob, "after restart " + QByteArray::number(i));
        exchange(bob, alice, "reply after restart " + QByteArray::number(i));
        alice.restart();
        bob.restart();
    }
    // The sender key survived too.
    auto skmsg = alice.account->encryptGroup(QString::fromLatin1(group), alice.address, "group after restart");
    ASSERT_TRUE(isOk(skmsg));
    auto plain = bob.account->decryptGroup(QString::fromLatin1(group), alice.address, *skmsg);
    ASSERT_TRUE(isOk(plain));
    EXPECT_EQ(*plain, QByteArray("group after restart"));
}

TEST_F(SignalStoreTest, UnflushedChangesAreLostOnRestartSoTheReceiptMustWait)
{
    ASSERT_TRUE(isOk(alice.account->processPreKeyBundle(bob.address, bob.bundle(0))));
    auto first = alice.account->encrypt(bob.address, "first");
    ASSERT_TRUE(isOk(first));
    ASSERT_TRUE(isOk(bob.account->decrypt(alice.address, first->type, first->bytes)));
    // Bob "crashes" before flushing: a new account from the store has neither session nor consumed prekey...
    bob.account =
        std::make_unique<SignalAccount>(context, bob.store.get(), bob.credentials, await(bob.store->load()).value());
    EXPECT_FALSE(bob.account->hasSession(alice.address));
    EXPECT_EQ(bob.account->preKeyCount(), 3);
    // ...so the sender's retry (the same pkmsg) still decrypts — which is why the receipt waits for flush.
    auto again = bob.account->decrypt(alice.address, first->type, first->bytes);
    ASSERT_TRUE(isOk(again));
    EXPECT_EQ(again->plaintext, QByteArray("first"));
}

TEST_F(SignalStoreTest, FlushBatchesAndAFailedFlushKeepsTheChanges)
{
    ASSERT_TRUE(isOk(alice.account->processPreKeyBundle(bob.address, bob.bundle(0))));
    exchange(alice, bob, "one");
    exchange(alice, bob, "two");
    EXPECT_TRUE(bob.account->hasPendingChanges());

    bob.store->setFailing(true);
    EXPECT_TRUE(isError(await(bob.account->flush()), errc::kInternal));
    EXPECT_TRUE(bob.account->hasPendingChanges());
    exchange(alice, bob, "three"); // newer changes merge after the kept ones

    bob.store->setFailing(false);
    const int before = bob.store->flushes();
    EXPECT_TRUE(isOk(await(bob.account->flush())));
    EXPECT_EQ(bob.store->flushes(), before + 1); // one batch for everything
    EXPECT_FALSE(bob.account->hasPendingChanges());
    EXPECT_TRUE(isOk(await(bob.account->flush()))); // nothing to do
    EXPECT_EQ(bob.store->flushes(), before + 1);

    const SignalSnapshot &stored = bob.store->snapshot();
    EXPECT_EQ(stored.sessions.count(alice.address), 1u);
    EXPECT_EQ(stored.preKeys.size(), 2);
    bob.restart();
    exchange(alice, bob, "four");
    exchange(bob, alice, "five");
}

// The figures behind the memory note in signal_account.h: what one peer device and one group sender
// key cost an idle account (serialized records are all it keeps).
TEST_F(SignalStoreTest, RecordSizesStaySmall)
{
    ASSERT_TRUE(isOk(alice.account->processPreKeyBundle(bob.address, bob.bundle(0))));
    for (int turn = 0; turn < 20; ++turn) {
        exchange(alice, bob, "ping " + QByteArray::number(turn));
        exchange(bob, alice, "pong " + QByteArray::number(turn));
    }
    // Out-of-order leaves skipped message keys in the record until they are used.
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(isOk(alice.account->encrypt(bob.address, "never delivered")));
    exchange(alice, bob, "after a gap");
    alice.restart();
    bob.restart();
    const QByteArray session = bob.store->snapshot().sessions.at(alice.address);
    const QByteArray identity = bob.store->snapshot().identities.at(alice.address);
    EXPECT_EQ(identity.size(), 33);
    EXPECT_LT(session.size(), 2048) << "session record " << session.size() << " bytes";

    const QString group = QStringLiteral("120363000000000001@g.us");
    auto skdm = alice.account->createSenderKeyDistribution(group, alice.address);
    ASSERT_TRUE(isOk(skdm));
    ASSERT_TRUE(isOk(bob.account->processSenderKeyDistribution(group, alice.address, *skdm)));
    bob.restart();
    const QByteArray senderKey = bob.store->snapshot().senderKeys.at(SenderKeyName{group, alice.address});
    EXPECT_LT(senderKey.size(), 1024) << "sender key record " << senderKey.size() << " bytes";
    std::cout << "[ figures  ] session record " << session.size() << " B, sender key record " << senderKey.size()
              << " B, identity " << identity.size() << " B" << std::endl;
}

TEST(SignalChanges, LaterChangesWin)
{
    const SignalAddress a{QStringLiteral("1555"), 1};
    SignalChanges older;
    older.sessions[a] = "old";
    older.removedPreKeys = {1};
    SignalChanges deletion;
    deletion.deletedSessions.insert(a);
    deletion.removedPreKeys = {2};
    older.merge(deletion);
    EXPECT_FALSE(older.sessions.contains(a));
    EXPECT_TRUE(older.deletedSessions.contains(a));
    EXPECT_EQ(older.removedPreKeys, (std::set<quint32>{1, 2}));
    SignalChanges upsert;
    upsert.sessions[a] = "new";
    older.merge(upsert);
    EXPECT_EQ(older.sessions.at(a), QByteArray("new"));
    EXPECT_FALSE(older.deletedSessions.contains(a));

    SignalSnapshot snapshot;
    snapshot.sessions[a] = "stored";
    snapshot.preKeys = {server::whatsapp::PreKeyRecord{1, {}}, server::whatsapp::PreKeyRecord{3, {}}};
    older.identities[a] = "key";
    older.applyTo(snapshot);
    EXPECT_EQ(snapshot.sessions.at(a), QByteArray("new"));
    ASSERT_EQ(snapshot.preKeys.size(), 1);
    EXPECT_EQ(snapshot.preKeys.at(0).id, 3u);
    EXPECT_EQ(snapshot.identities.at(a), QByteArray("key"));
    SignalChanges forget;
    forget.identities[a] = QByteArray();
    forget.applyTo(snapshot);
    EXPECT_FALSE(snapshot.identities.contains(a));
}

} // namespace
} // namespace atende::test
