// 1:1 sessions between two SignalAccounts: bundle → pkmsg → msg, the ratchet both ways, out-of-order
// delivery, duplicates, prekey consumption and identity changes (PROTOCOL.md §7.3–§7.5, §8.2).

#include "test_peer.h"

#include "server/signal/error_codes.h"
#include "tests/support/status_assertions.h"

#include <gtest/gtest.h>

namespace atende::test {
namespace {

using namespace server::signal;

class SignalSessionTest : public ::testing::Test {
protected:
    SignalContext context;
    TestPeer alice{context, SignalAddress{QStringLiteral("15550000001"), 3}};
    TestPeer bob{context, SignalAddress{QStringLiteral("15550000002"), 5}};

    EncryptedMessage send(TestPeer &from, const TestPeer &to, const QByteArray &text)
    {
        auto encrypted = from.account->encrypt(to.address, text);
        EXPECT_TRUE(isOk(encrypted));
        return encrypted.ok() ? encrypted.value() : EncryptedMessage{};
    }

    core::Result<DecryptResult> receive(TestPeer &to, const TestPeer &from, const EncryptedMessage &message)
    {
        return to.account->decrypt(from.address, message.type, message.bytes);
    }

    void expectText(TestPeer &to, const TestPeer &from, const EncryptedMessage &message, const QByteArray &text)
    {
        auto decrypted = receive(to, from, message);
        ASSERT_TRUE(isOk(decrypted));
        EXPECT_EQ(decrypted->plaintext, text);
    }

    // Alice starts a session from Bob's bundle (one-time prekey 0 unless told otherwise).
    void connect(std::optional<int> preKeyIndex = 0)
    {
        auto built = alice.account->processPreKeyBundle(bob.address, bob.bundle(preKeyIndex));
        ASSERT_TRUE(isOk(built));
        EXPECT_FALSE(built->identityChanged);
    }
};

TEST_F(SignalSessionTest, PreKeyMessageThenRatchetBothWays)
{
    EXPECT_FALSE(alice.account->hasSession(bob.address));
    connect();
    EXPECT_TRUE(alice.account->hasSession(bob.address));

    const EncryptedMessage first = send(alice, bob, "hello bob");
    EXPECT_EQ(first.type, EncType::PreKeyMessage);
    EXPECT_EQ(quint8(first.bytes.at(0)), 0x33); // version byte (SIGNAL-INTEROP.md trap 8)
    auto received = receive(bob, alice, first);
    ASSERT_TRUE(isOk(received));
    EXPECT_EQ(received->plaintext, QByteArray("hello bob"));
    EXPECT_FALSE(received->identityChanged); // first contact is not a change
    EXPECT_EQ(received->consumedPreKeyId, bob.preKeys.at(0).id);
    EXPECT_EQ(bob.account->preKeyCount(), 2);
    EXPECT_TRUE(bob.account->hasSession(alice.address));

    for (int turn = 0; turn < 4; ++turn) {
        const QByteArray fromBob = "bob turn " + QByteArray::number(turn);
        const EncryptedMessage reply = send(bob, alice, fromBob);
        EXPECT_EQ(reply.type, EncType::Message);
        expectText(alice, bob, reply, fromBob);
        const QByteArray fromAlice = "alice turn " + QByteArray::number(turn);
        const EncryptedMessage next = send(alice, bob, fromAlice);
        EXPECT_EQ(next.type, EncType::Message); // Alice has heard from Bob: no more pkmsg
        expectText(bob, alice, next, fromAlice);
    }
}

TEST_F(SignalSessionTest, PreKeyMessagesRepeatUntilAnsweredAndArriveInAnyOrder)
{
    connect();
    const EncryptedMessage m1 = send(alice, bob, "one");
    const EncryptedMessage m2 = send(alice, bob, "two");
    const EncryptedMessage m3 = send(alice, bob, "three");
    for (const EncryptedMessage *m : {&m1, &m2, &m3})
        EXPECT_EQ(m->type, EncType::PreKeyMessage);
    expectText(bob, alice, m2, "two");
    expectText(bob, alice, m1, "one");
    expectText(bob, alice, m3, "three");
    const EncryptedMessage reply = send(bob, alice, "got them");
    expectText(alice, bob, reply, "got them");
    EXPECT_EQ(send(alice, bob, "now msg").type, EncType::Message);
}

TEST_F(SignalSessionTest, OutOfOrderWithinAChainAndAcrossARatchetTurn)
{
    connect();
    expectText(bob, alice, send(alice, bob, "open"), "open");
    expectText(alice, bob, send(bob, alice, "ack"), "ack");

    const EncryptedMessage a1 = send(alice, bob, "a1");
    const EncryptedMessage a2 = send(alice, bob, "a2");
    const EncryptedMessage a3 = send(alice, bob, "a3");
    expectText(bob, alice, a3, "a3");
    expectText(bob, alice, a1, "a1");
    // Bob answers, Alice answers on a new chain; a2 from the old chain arrives late.
    expectText(alice, bob, send(bob, alice, "b1"), "b1");
    expectText(bob, alice, send(alice, bob, "a4 new chain"), "a4 new chain");
    expectText(bob, alice, a2, "a2");

    // The same the other way round.
    const EncryptedMessage b2 = send(bob, alice, "b2");
    const EncryptedMessage b3 = send(bob, alice, "b3");
    expectText(alice, bob, b3, "b3");
    expectText(bob, alice, send(alice, bob, "a5"), "a5");
    expectText(alice, bob, send(bob, alice, "b4 new chain"), "b4 new chain");
    expectText(alice, bob, b2, "b2");
}

TEST_F(SignalSessionTest, DuplicatesAreRejectedAndChangeNothing)
{
    connect();
    const EncryptedMessage first = send(alice, bob, "first");
    expectText(bob, alice, first, "first");
    const EncryptedMessage reply = send(bob, alice, "reply");
    expectText(alice, bob, reply, "reply");
    const EncryptedMessage second = send(alice, bob, "second");
    expectText(bob, alice, second, "second");

    (void)bob.account->takePendingChanges();
    EXPECT_TRUE(isError(receive(bob, alice, second), errc::kDuplicateMessage));
    EXPECT_TRUE(isError(receive(alice, bob, reply), errc::kDuplicateMessage));
    EXPECT_FALSE(bob.account->hasPendingChanges()); // a failed decrypt queues nothing
    // The replayed pkmsg finds its prekey gone but the session there: also a duplicate.
    EXPECT_TRUE(isError(receive(bob, alice, first), errc::kDuplicateMessage));
    expectText(bob, alice, send(alice, bob, "still fine"), "still fine");
}

TEST_F(SignalSessionTest, BundleWithoutOneTimePreKey)
{
    connect(std::nullopt);
    const EncryptedMessage first = send(alice, bob, "no one-time prekey");
    EXPECT_EQ(first.type, EncType::PreKeyMessage);
    auto received = receive(bob, alice, first);
    ASSERT_TRUE(isOk(received));
    EXPECT_EQ(received->plaintext, QByteArray("no one-time prekey"));
    EXPECT_FALSE(received->consumedPreKeyId);
    EXPECT_EQ(bob.account->preKeyCount(), 3);
    expectText(alice, bob, send(bob, alice, "answer"), "answer");
}

TEST_F(SignalSessionTest, PreKeyMessageForAConsumedPreKeyFails)
{
    connect();
    expectText(bob, alice, send(alice, bob, "takes prekey 0"), "takes prekey 0");
    // A third device got the same bundle (the server handed the key out twice) and uses it afterwards.
    TestPeer carol(context, SignalAddress{QStringLiteral("15550000003"), 0});
    ASSERT_TRUE(isOk(carol.account->processPreKeyBundle(bob.address, bob.bundle(0))));
    EXPECT_TRUE(isError(receive(bob, carol, send(carol, bob, "late")), errc::kInvalidPreKeyId));
    EXPECT_FALSE(bob.account->hasSession(carol.address));
}

TEST_F(SignalSessionTest, MessageWithoutSessionFails)
{
    connect();
    expectText(bob, alice, send(alice, bob, "open"), "open");
    const EncryptedMessage reply = send(bob, alice, "reply");
    TestPeer stranger(context, alice.address); // same address, no session
    EXPECT_TRUE(isError(receive(stranger, bob, reply), errc::kNoSession));
    EXPECT_TRUE(isError(stranger.account->encrypt(bob.address, "x"), errc::kNoSession));
}

TEST_F(SignalSessionTest, BadBundlesAreRejected)
{
    PreKeyBundle tampered = bob.bundle();
    tampered.signedPreKeySignature[10] = char(tampered.signedPreKeySignature.at(10) ^ 0x01);
    EXPECT_TRUE(isError(alice.account->processPreKeyBundle(bob.address, tampered), errc::kInvalidKey));
    PreKeyBundle shortKey = bob.bundle();
    shortKey.identityKey.chop(1);
    EXPECT_TRUE(isError(alice.account->processPreKeyBundle(bob.address, shortKey), errc::kInvalidBundle));
    PreKeyBundle prefixed = bob.bundle();
    prefixed.signedPreKey.prepend(char(0x05)); // the 33-byte form does not belong on the wire
    EXPECT_TRUE(isError(alice.account->processPreKeyBundle(bob.address, prefixed), errc::kInvalidBundle));
    PreKeyBundle shortSignature = bob.bundle();
    shortSignature.signedPreKeySignature.chop(1);
    EXPECT_TRUE(isError(alice.account->processPreKeyBundle(bob.address, shortSignature), errc::kInvalidBundle));
    EXPECT_FALSE(alice.account->hasSession(bob.address));
    EXPECT_FALSE(alice.account->hasPendingChanges());
}

TEST_F(SignalSessionTest, IdentityChangeIsAcceptedAndReported)
{
    connect();
    expectText(bob, alice, send(alice, bob, "before"), "before");
    expectText(alice, bob, send(bob, alice, "before reply"), "before reply");

    // Bob reinstalls: same address, new identity. Alice learns it from a pkmsg...
    bob.reinstall();
    ASSERT_TRUE(isOk(bob.account->processPreKeyBundle(alice.address, alice.bundle(0))));
    auto received = receive(alice, bob, send(bob, alice, "new phone"));
    ASSERT_TRUE(isOk(received));
    EXPECT_EQ(received->plaintext, QByteArray("new phone"));
    EXPECT_TRUE(received->identityChanged);
    expectText(bob, alice, send(alice, bob, "welcome back"), "welcome back");

    // ...or from a fresh bundle (the retry path rebuilds the session over the old one).
    bob.reinstall();
    auto rebuilt = alice.account->processPreKeyBundle(bob.address, bob.bundle(1));
    ASSERT_TRUE(isOk(rebuilt));
    EXPECT_TRUE(rebuilt->identityChanged);
    auto again = receive(bob, alice, send(alice, bob, "after rebuild"));
    ASSERT_TRUE(isOk(again));
    EXPECT_FALSE(again->identityChanged); // Bob never saw an older Alice after his reinstall
    EXPECT_EQ(again->plaintext, QByteArray("after rebuild"));
}

TEST_F(SignalSessionTest, DeletedSessionIsGoneAndQueued)
{
    connect();
    (void)alice.account->takePendingChanges();
    alice.account->deleteSession(bob.address);
    EXPECT_FALSE(alice.account->hasSession(bob.address));
    const SignalChanges changes = alice.account->takePendingChanges();
    EXPECT_TRUE(changes.deletedSessions.contains(bob.address));
    EXPECT_TRUE(isError(alice.account->encrypt(bob.address, "x"), errc::kNoSession));
}

} // namespace
} // namespace atende::test
