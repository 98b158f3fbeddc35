// Sender keys (PROTOCOL.md §10): SKDM → skmsg, out-of-order and duplicate skmsgs, a missing sender key.

#include "test_peer.h"

#include "server/signal/error_codes.h"
#include "tests/support/status_assertions.h"

#include <gtest/gtest.h>

namespace atende::test {
namespace {

using namespace server::signal;

class SignalGroupTest : public ::testing::Test {
protected:
    SignalContext context;
    TestPeer alice{context, SignalAddress{QStringLiteral("15550000001"), 3}};
    TestPeer bob{context, SignalAddress{QStringLiteral("15550000002"), 5}};
    const QString group = QStringLiteral("120363000000000001@g.us");
};

TEST_F(SignalGroupTest, DistributionThenMessagesInAnyOrder)
{
    auto skdm = alice.account->createSenderKeyDistribution(group, alice.address);
    ASSERT_TRUE(isOk(skdm));
    EXPECT_EQ(quint8(skdm->at(0)), 0x33);
    // Creating it again returns the same key (same chain), not a new one.
    auto again = alice.account->createSenderKeyDistribution(group, alice.address);
    ASSERT_TRUE(isOk(again));
    ASSERT_TRUE(isOk(bob.account->processSenderKeyDistribution(group, alice.address, *skdm)));

    QList<QByteArray> sent;
    for (int i = 1; i <= 4; ++i) {
        auto skmsg = alice.account->encryptGroup(group, alice.address, "group " + QByteArray::number(i));
        ASSERT_TRUE(isOk(skmsg));
        sent.append(*skmsg);
    }
    for (int i : {0, 3, 1, 2}) {
        auto plain = bob.account->decryptGroup(group, alice.address, sent.at(i));
        ASSERT_TRUE(isOk(plain)) << i;
        EXPECT_EQ(*plain, "group " + QByteArray::number(i + 1));
    }
    EXPECT_TRUE(isError(bob.account->decryptGroup(group, alice.address, sent.at(2)), errc::kDuplicateMessage));
}

TEST_F(SignalGroupTest, MissingSenderKey)
{
    ASSERT_TRUE(isOk(alice.account->createSenderKeyDistribution(group, alice.address)));
    auto skmsg = alice.account->encryptGroup(group, alice.address, "nobody has the key");
    ASSERT_TRUE(isOk(skmsg));
    EXPECT_TRUE(isError(bob.account->decryptGroup(group, alice.address, *skmsg), errc::kNoSenderKey));
    // The key is per (group, sender device): another group or device does not count.
    auto skdm = alice.account->createSenderKeyDistribution(group, alice.address);
    ASSERT_TRUE(isOk(bob.account->processSenderKeyDistribution(QStringLiteral("1203@g.us"), alice.address, *skdm)));
    EXPECT_TRUE(isError(bob.account->decryptGroup(group, alice.address, *skmsg), errc::kNoSenderKey));
    const SignalAddress otherDevice{alice.address.name, 4};
    ASSERT_TRUE(isOk(bob.account->processSenderKeyDistribution(group, otherDevice, *skdm)));
    EXPECT_TRUE(isError(bob.account->decryptGroup(group, alice.address, *skmsg), errc::kNoSenderKey));
    // Our own encryption needs our sender key first.
    EXPECT_TRUE(isError(bob.account->encryptGroup(group, bob.address, "x"), errc::kNoSenderKey));
}

TEST_F(SignalGroupTest, DistributionInsideAOneToOneMessage)
{
    // WhatsApp sends the SKDM inside a pkmsg/msg; the bytes come out unchanged.
    ASSERT_TRUE(isOk(alice.account->processPreKeyBundle(bob.address, bob.bundle())));
    auto skdm = alice.account->createSenderKeyDistribution(group, alice.address);
    ASSERT_TRUE(isOk(skdm));
    auto carrier = alice.account->encrypt(bob.address, *skdm);
    ASSERT_TRUE(isOk(carrier));
    auto opened = bob.account->decrypt(alice.address, carrier->type, carrier->bytes);
    ASSERT_TRUE(isOk(opened));
    ASSERT_TRUE(isOk(bob.account->processSenderKeyDistribution(group, alice.address, opened->plaintext)));
    auto skmsg = alice.account->encryptGroup(group, alice.address, "after dm");
    ASSERT_TRUE(isOk(skmsg));
    auto plain = bob.account->decryptGroup(group, alice.address, *skmsg);
    ASSERT_TRUE(isOk(plain));
    EXPECT_EQ(*plain, QByteArray("after dm"));
}

} // namespace
} // namespace atende::test
