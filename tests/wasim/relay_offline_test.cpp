// What the relay owes offline devices (PROTOCOL.md §6.3, §6.6, §6.7, §12.1 items 5, 7, 11, 13): queued stanzas
// arrive after login in order with `offline` and then <ib><offline count/>, are delivered again until
// acknowledged, survive a simulator restart with --state-dir; hold/release and drop-after faults; key
// bundles that consume one-time prekeys; device-list notifications.
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/key_bundle.h"
#include "tests/wasim/iq_util.h"
#include "tests/wasim/relay_fixture.h"

#include <QTemporaryDir>
#include <QTest>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;

QStringList ids(const std::vector<Node> &messages)
{
    QStringList out;
    for (const Node &m : messages)
        out.append(m.attributeString(u"id"));
    return out;
}

class RelayOfflineTest : public RelayTest {
protected:
    void sendThree()
    {
        auto alice = connect(a1);
        for (const char *id : {"Q1", "Q2", "Q3"}) {
            ASSERT_TRUE(alice
                            ->send(message(QString::fromLatin1(id), QStringLiteral("15550000002@s.whatsapp.net"),
                                           {b1.paired.jid}))
                            .ok());
            ASSERT_TRUE(alice->waitForTag(QStringLiteral("ack")));
        }
    }
    // The backlog login() left in the inbox (it consumed <success> and <ib><offline/>), in order.
    std::vector<Node> backlog(TestClient &client)
    {
        std::vector<Node> out;
        while (auto m = nextMessage(client, 200))
            out.push_back(*m);
        return out;
    }
};

TEST_F(RelayOfflineTest, QueuedInOrderDeliveredAfterLoginAndAgainUntilAcknowledged)
{
    sendThree();
    const QJsonArray queue = sim->queuedStanzas(b1.key()).value();
    ASSERT_EQ(queue.size(), 3);
    EXPECT_EQ(queue[0].toObject().value(u"sent").toBool(), false);
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"queued").toInt(), 3);

    {
        // The raw login: queued stanzas come between <success> and <ib><offline count="3"/>.
        TestClient raw(sim->wsUrl(), sim->trustRootPublicKey());
        ASSERT_TRUE(raw.connectWith(b1.keys, loginPayload(b1.paired.username, b1.paired.device)).ok());
        std::vector<Node> seen;
        while (auto n = raw.next(3000)) {
            seen.push_back(*n);
            if (n->tag == u"ib")
                break;
        }
        ASSERT_EQ(seen.size(), 5u);
        EXPECT_EQ(seen[0].tag, QStringLiteral("success"));
        EXPECT_EQ(ids({seen[1], seen[2], seen[3]}),
                  (QStringList{QStringLiteral("Q1"), QStringLiteral("Q2"), QStringLiteral("Q3")}));
        for (int i = 1; i <= 3; ++i)
            EXPECT_TRUE(parseMessageStanza(seen[i]).value().offline);
        EXPECT_EQ(seen[4].child(u"offline")->attributeString(u"count"), QStringLiteral("3"));
        // Dropped before acknowledging anything.
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return !sim->isConnected(b1.key()); }, 3000));
    EXPECT_EQ(sim->queuedStanzas(b1.key())->size(), 3);

    auto bob = connect(b1);
    const auto again = backlog(*bob);
    EXPECT_EQ(ids(again), (QStringList{QStringLiteral("Q1"), QStringLiteral("Q2"), QStringLiteral("Q3")}));
    // One receipt with a <list> settles all three.
    OutgoingReceipt receipt;
    receipt.id = QStringLiteral("Q1");
    receipt.to = a1.jid();
    receipt.moreIds = {QStringLiteral("Q2"), QStringLiteral("Q3")};
    ASSERT_TRUE(bob->send(buildReceipt(receipt).value()).ok());
    ASSERT_TRUE(bob->waitForTag(QStringLiteral("ack")));
    EXPECT_EQ(sim->queuedStanzas(b1.key())->size(), 0);
    bob.reset();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !sim->isConnected(b1.key()); }, 3000));
    auto bobLater = connect(b1);
    EXPECT_FALSE(nextMessage(*bobLater, 300)); // nothing delivered twice once acknowledged
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"delivered").toInt(), 6);
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"acked").toInt(), 3);
}

TEST_F(RelayOfflineTest, QueueSurvivesASimulatorRestartWithStateDir)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    SimulatorOptions options;
    options.stateDir = dir.path();
    sim = std::make_unique<Simulator>(options);
    SetUp(); // users and companions in the persistent simulator
    if (HasFatalFailure())
        return;
    sendThree();
    sim.reset(); // writes the state
    sim = std::make_unique<Simulator>(options);
    ASSERT_TRUE(sim->start().ok());
    EXPECT_EQ(sim->queuedStanzas(b1.key())->size(), 3);
    auto bob = connect(b1);
    const auto delivered = backlog(*bob);
    ASSERT_EQ(ids(delivered), (QStringList{QStringLiteral("Q1"), QStringLiteral("Q2"), QStringLiteral("Q3")}));
    auto first = parseMessageStanza(delivered[0]);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->from.toString(), a1.paired.jid);
    EXPECT_EQ(first->encs[0].ciphertext, QByteArray("ct:") + b1.paired.jid.toUtf8());
}

TEST_F(RelayOfflineTest, HoldQueuesForAConnectedDeviceUntilReleased)
{
    auto alice = connect(a1);
    auto bob = connect(b1);
    ASSERT_TRUE(sim->holdDelivery(b1.key(), true).ok());
    ASSERT_TRUE(
        alice->send(message(QStringLiteral("H1"), QStringLiteral("15550000002@s.whatsapp.net"), {b1.paired.jid})).ok());
    ASSERT_TRUE(alice->waitForTag(QStringLiteral("ack"))); // the sender is acknowledged all the same
    EXPECT_FALSE(nextMessage(*bob, 300));
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"held").toBool(), true);
    ASSERT_TRUE(sim->holdDelivery(b1.key(), false).ok());
    auto m = nextMessage(*bob);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->attributeString(u"id"), QStringLiteral("H1"));
    EXPECT_EQ(m->attribute(u"offline"), nullptr);
    EXPECT_EQ(sim->holdDelivery(QStringLiteral("1:9"), true).error().code, QStringLiteral("wasim_unknown_device"));
}

TEST_F(RelayOfflineTest, DropAfterCutsTheConnectionMidStreamAndNothingIsLost)
{
    auto alice = connect(a1);
    auto bob = connect(b1);
    ASSERT_TRUE(sim->dropAfterDeliveries(b1.key(), 1).ok());
    for (const char *id : {"D1", "D2"})
        ASSERT_TRUE(
            alice->send(message(QString::fromLatin1(id), QStringLiteral("15550000002@s.whatsapp.net"), {b1.paired.jid}))
                .ok());
    ASSERT_TRUE(bob->waitClosed(3000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !sim->isConnected(b1.key()); }, 3000));
    auto again = connect(b1);
    EXPECT_EQ(ids(backlog(*again)), (QStringList{QStringLiteral("D1"), QStringLiteral("D2")}));
    EXPECT_EQ(sim->dropAfterDeliveries(b1.key(), 0).error().code, QStringLiteral("wasim_bad_fault"));
}

Node uploadIq(const ClientKeys &keys, quint32 firstId, int count)
{
    std::vector<Node> list;
    for (int i = 0; i < count; ++i)
        list.push_back(Node(QStringLiteral("key"), {},
                            std::vector<Node>{bytesNode("id", bigEndianBytes(firstId + quint32(i), 3)),
                                              bytesNode("value", crypto::generateX25519KeyPair().publicKey)}));
    return Node(QStringLiteral("iq"),
                {{QStringLiteral("to"), Jid::serverJid()},
                 {QStringLiteral("type"), QStringLiteral("set")},
                 {QStringLiteral("xmlns"), QStringLiteral("encrypt")}},
                std::vector<Node>{bytesNode("registration", bigEndianBytes(keys.registrationId, 4)),
                                  bytesNode("type", QByteArray(1, '\x05')),
                                  bytesNode("identity", keys.identity.publicKey),
                                  Node(QStringLiteral("list"), {}, std::move(list))});
}

TEST_F(RelayOfflineTest, KeyBundlesConsumeOneTimePrekeysAndWarnWhenLow)
{
    auto alice = connect(a1);
    auto bob = connect(b1);
    ASSERT_TRUE(bob->query(uploadIq(b1.keys, 1, 6)));
    const Jid bobPhone = Jid::make(QString::fromLatin1(kPhoneB), QString(Jid::kUserServer));
    QList<quint32> handedOut;
    for (int i = 0; i < 7; ++i) {
        auto reply = alice->query(buildKeyBundleQuery({b1.jid(), bobPhone}).value());
        ASSERT_TRUE(reply);
        auto result = parseKeyBundleResult(*reply);
        ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
        ASSERT_EQ(result->bundles.size(), 2u);
        const PreKeyBundle &companion = result->bundles[0];
        EXPECT_EQ(companion.identityKey, b1.keys.identity.publicKey);
        EXPECT_EQ(companion.registrationId, b1.keys.registrationId);
        if (companion.preKeyId)
            handedOut.append(*companion.preKeyId);
        // The phone's bundle: the account key as identity and a validly signed prekey, no one-time prekey.
        const PreKeyBundle &phone = result->bundles[1];
        EXPECT_FALSE(phone.preKeyId);
        EXPECT_TRUE(verifyCurveSignature(phone.identityKey, QByteArray(1, '\x05') + phone.signedPreKey,
                                         phone.signedPreKeySignature));
    }
    EXPECT_EQ(handedOut, (QList<quint32>{1, 2, 3, 4, 5, 6})); // each served once, then only the signed prekey
    auto low = bob->waitFor(
        [](const Node &n) { return n.tag == u"notification" && n.attributeString(u"type") == u"encrypt"; });
    ASSERT_TRUE(low);
    EXPECT_EQ(low->child(u"count")->attributeString(u"value"), QStringLiteral("4"));
}

TEST_F(RelayOfflineTest, LinkingAndUnlinkingNotifiesTheAccountsOtherDevices)
{
    auto alice = connect(a1);
    const Companion a3 = pair(QString::fromLatin1(kPhoneA));
    auto added = alice->waitFor(
        [](const Node &n) { return n.tag == u"notification" && n.attributeString(u"type") == u"devices"; });
    ASSERT_TRUE(added);
    // a1 also got the notification for a2 (queued while offline); skip to a3's.
    if (added->child(u"add")->child(u"device")->attributeString(u"jid") != a3.paired.jid)
        added = alice->waitFor(
            [](const Node &n) { return n.tag == u"notification" && n.attributeString(u"type") == u"devices"; });
    ASSERT_TRUE(added && added->child(u"add"));
    EXPECT_EQ(added->child(u"add")->child(u"device")->attributeString(u"jid"), a3.paired.jid);
    EXPECT_FALSE(added->child(u"add")->attributeString(u"device_hash").isEmpty());
    ASSERT_TRUE(sim->removeDevice(a3.key()).ok());
    auto removed = alice->waitFor([](const Node &n) { return n.tag == u"notification" && n.child(u"remove"); });
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->child(u"remove")->child(u"device")->attributeString(u"jid"), a3.paired.jid);
}

} // namespace
} // namespace atende::wasim::test
