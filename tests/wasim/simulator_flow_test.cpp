// The main flows against an in-process Simulator, driven by a client made of server/whatsapp's pieces:
// registration → QR scan → pair-success → pair-device-sign → 515 → login → the post-login iqs; pairing by
// code; logout.
#include "server/whatsapp/adv_identity.h"
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/pairing_code.h"
#include "tests/wasim/iq_util.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_client.h"

#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;

Node iq(const QString &type, const QString &xmlns, std::vector<Node> children = {})
{
    Node n(
        QStringLiteral("iq"),
        {{QStringLiteral("to"), Jid::serverJid()}, {QStringLiteral("type"), type}, {QStringLiteral("xmlns"), xmlns}});
    if (!children.empty())
        n.content = std::move(children);
    return n;
}

Node preKeyUpload(const ClientKeys &keys, quint32 firstId, int count)
{
    std::vector<Node> list;
    for (int i = 0; i < count; ++i)
        list.push_back(Node(QStringLiteral("key"), {},
                            std::vector<Node>{bytesNode("id", bigEndianBytes(firstId + quint32(i), 3)),
                                              bytesNode("value", crypto::generateX25519KeyPair().publicKey)}));
    return iq(QStringLiteral("set"), QStringLiteral("encrypt"),
              {bytesNode("registration", bigEndianBytes(keys.registrationId, 4)),
               bytesNode("type", QByteArray(1, '\x05')), bytesNode("identity", keys.identity.publicKey),
               Node(QStringLiteral("list"), {}, std::move(list)),
               Node(QStringLiteral("skey"), {},
                    std::vector<Node>{bytesNode("id", bigEndianBytes(keys.signedPreKeyId, 3)),
                                      bytesNode("value", keys.signedPreKey.publicKey),
                                      bytesNode("signature", keys.signedPreKeySignature)})});
}

class WasimFlow : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(sim.start().ok()); }
    Simulator sim;
};

TEST_F(WasimFlow, QrPairingThenLoginAndPostLoginIqs)
{
    ASSERT_TRUE(sim.createUser({QStringLiteral("15550000001"), QStringLiteral("Support Phone"), {}}).ok());
    const ClientKeys keys = ClientKeys::generate();
    QSignalSpy linked(&sim, &Simulator::deviceLinked);
    auto paired = pairWithQr(sim, keys, {});
    ASSERT_TRUE(paired.ok()) << paired.error().message.toStdString();
    EXPECT_EQ(paired->username, 15550000001u);
    EXPECT_EQ(paired->device, 1u);
    ASSERT_EQ(linked.count(), 1);
    EXPECT_EQ(linked.at(0).at(0).toString(), QStringLiteral("15550000001:1"));
    auto stored = sim.device(QStringLiteral("15550000001:1"));
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->noiseKey, keys.noise.publicKey);
    EXPECT_EQ(stored->identityKey, keys.identity.publicKey);
    EXPECT_EQ(stored->platform, QStringLiteral("Atende"));

    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(login(c, keys, *paired).ok());
    EXPECT_TRUE(sim.isConnected(QStringLiteral("15550000001:1")));

    auto count = c.query(iq(QStringLiteral("get"), QStringLiteral("encrypt"), {Node(QStringLiteral("count"))}));
    ASSERT_TRUE(count && count->child(u"count"));
    EXPECT_EQ(count->attributeString(u"type"), QStringLiteral("result"));
    EXPECT_EQ(count->child(u"count")->attributeString(u"value"), QStringLiteral("0"));

    auto upload = c.query(preKeyUpload(keys, 1, 30));
    ASSERT_TRUE(upload);
    EXPECT_EQ(upload->attributeString(u"type"), QStringLiteral("result"));
    count = c.query(iq(QStringLiteral("get"), QStringLiteral("encrypt"), {Node(QStringLiteral("count"))}));
    ASSERT_TRUE(count && count->child(u"count"));
    EXPECT_EQ(count->child(u"count")->attributeString(u"value"), QStringLiteral("30"));

    auto digest = c.query(iq(QStringLiteral("get"), QStringLiteral("encrypt"), {Node(QStringLiteral("digest"))}));
    ASSERT_TRUE(digest && digest->child(u"digest"));
    EXPECT_EQ(digest->child(u"digest")->child(u"identity")->bytes(), keys.identity.publicKey);
    EXPECT_EQ(digest->child(u"digest")->child(u"list")->children().size(), 30u);

    auto passive = c.query(iq(QStringLiteral("set"), QStringLiteral("passive"), {Node(QStringLiteral("active"))}));
    ASSERT_TRUE(passive);
    EXPECT_EQ(passive->attributeString(u"type"), QStringLiteral("result"));
    auto ping = c.query(iq(QStringLiteral("get"), QStringLiteral("w:p"), {Node(QStringLiteral("ping"))}));
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->attributeString(u"type"), QStringLiteral("result"));
    auto unknown = c.query(iq(QStringLiteral("get"), QStringLiteral("w:sync:app:state")));
    ASSERT_TRUE(unknown && unknown->child(u"error"));
    EXPECT_EQ(unknown->child(u"error")->attributeString(u"code"), QStringLiteral("501"));

    ASSERT_TRUE(c.send(Node(QStringLiteral("presence"), {{QStringLiteral("type"), QStringLiteral("available")},
                                                         {QStringLiteral("name"), QStringLiteral("Support")}}))
                    .ok());
    EXPECT_TRUE(QTest::qWaitFor([&] { return sim.device(QStringLiteral("15550000001:1"))->available; }, 2000));
    EXPECT_EQ(sim.device(QStringLiteral("15550000001:1"))->pushName, QStringLiteral("Support"));
}

TEST_F(WasimFlow, KeyBundlesHandOutEachOneTimePreKeyOnceAndUsyncListsDevices)
{
    const ClientKeys keys = ClientKeys::generate();
    auto paired = pairWithQr(sim, keys, {}); // creates the default phone 15550000001
    ASSERT_TRUE(paired.ok()) << paired.error().message.toStdString();
    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(login(c, keys, *paired).ok());
    ASSERT_TRUE(c.query(preKeyUpload(keys, 100, 2)));

    auto fetch = [&] {
        return c.query(iq(QStringLiteral("get"), QStringLiteral("encrypt"),
                          {Node(QStringLiteral("key"), {},
                                std::vector<Node>{Node(QStringLiteral("user"),
                                                       {{QStringLiteral("jid"), *Jid::parse(paired->jid)},
                                                        {QStringLiteral("reason"), QStringLiteral("identity")}})})}));
    };
    QList<QByteArray> ids;
    for (int i = 0; i < 3; ++i) {
        auto bundle = fetch();
        ASSERT_TRUE(bundle && bundle->child(u"list"));
        const Node &user = bundle->child(u"list")->children().at(0);
        EXPECT_EQ(user.child(u"identity")->bytes(), keys.identity.publicKey);
        EXPECT_EQ(user.child(u"skey")->child(u"signature")->bytes(), keys.signedPreKeySignature);
        if (const Node *key = user.child(u"key"))
            ids.append(key->child(u"id")->bytes());
    }
    EXPECT_EQ(ids, (QList<QByteArray>{bigEndianBytes(100, 3), bigEndianBytes(101, 3)}));
    // Below the threshold the server tells the device to top up.
    auto low =
        c.waitFor([](const Node &n) { return n.tag == u"notification" && n.attributeString(u"type") == u"encrypt"; });
    ASSERT_TRUE(low);

    auto usync = c.query(iq(
        QStringLiteral("get"), QStringLiteral("usync"),
        {Node(QStringLiteral("usync"),
              {{QStringLiteral("sid"), QStringLiteral("s1")}, {QStringLiteral("mode"), QStringLiteral("query")}},
              std::vector<Node>{
                  Node(QStringLiteral("query"), {},
                       std::vector<Node>{
                           Node(QStringLiteral("devices"), {{QStringLiteral("version"), QStringLiteral("2")}}),
                           Node(QStringLiteral("lid"))}),
                  Node(QStringLiteral("list"), {},
                       std::vector<Node>{Node(
                           QStringLiteral("user"),
                           {{QStringLiteral("jid"), *Jid::parse(QStringLiteral("15550000001@s.whatsapp.net"))}})})})}));
    ASSERT_TRUE(usync && usync->child(u"usync"));
    const Node &user = usync->child(u"usync")->child(u"list")->children().at(0);
    const auto &devices = user.child(u"devices")->child(u"device-list")->children();
    ASSERT_EQ(devices.size(), 2u);
    EXPECT_EQ(devices[0].attributeString(u"id"), QStringLiteral("0"));
    EXPECT_EQ(devices[1].attributeString(u"id"), QStringLiteral("1"));
    ASSERT_TRUE(user.child(u"lid"));
}

TEST_F(WasimFlow, LoginWithAnotherNoiseKeyFails401)
{
    const ClientKeys keys = ClientKeys::generate();
    auto paired = pairWithQr(sim, keys, {});
    ASSERT_TRUE(paired.ok());
    ClientKeys impostor = keys;
    impostor.noise = crypto::generateX25519KeyPair();
    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(c.connectWith(impostor, loginPayload(paired->username, paired->device)).ok());
    auto failure = c.next();
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->tag, QStringLiteral("failure"));
    EXPECT_EQ(failure->attributeString(u"reason"), QStringLiteral("401"));
    EXPECT_TRUE(c.waitClosed());
    EXPECT_FALSE(sim.isConnected(QStringLiteral("15550000001:1")));
}

TEST_F(WasimFlow, LogoutRemovesTheDeviceWithDeviceRemoved)
{
    const ClientKeys keys = ClientKeys::generate();
    auto paired = pairWithQr(sim, keys, {});
    ASSERT_TRUE(paired.ok());
    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(login(c, keys, *paired).ok());
    auto result = c.query(iq(QStringLiteral("set"), QStringLiteral("md"),
                             {Node(QStringLiteral("remove-companion-device"),
                                   {{QStringLiteral("jid"), *Jid::parse(paired->jid)},
                                    {QStringLiteral("reason"), QStringLiteral("user_initiated")}})}));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->attributeString(u"type"), QStringLiteral("result"));
    auto error = c.waitForTag(QStringLiteral("stream:error"));
    ASSERT_TRUE(error && error->child(u"conflict"));
    EXPECT_EQ(error->attributeString(u"code"), QStringLiteral("401"));
    EXPECT_EQ(error->child(u"conflict")->attributeString(u"type"), QStringLiteral("device_removed"));
    EXPECT_TRUE(c.waitClosed());
    EXPECT_FALSE(sim.device(QStringLiteral("15550000001:1")));
}

TEST_F(WasimFlow, PairingByCode)
{
    const ClientKeys keys = ClientKeys::generate();
    TestClient c(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(c.connectWith(keys, registrationPayload(keys)).ok());
    ASSERT_TRUE(c.waitFor([](const Node &n) { return n.child(u"pair-device") != nullptr; }));

    const QString code = QStringLiteral("ABCD2345");
    const crypto::KeyPair ephemeral = crypto::generateX25519KeyPair();
    auto wrapped =
        pairing_code::wrapEphemeral(code, crypto::randomBytes(32), crypto::randomBytes(16), ephemeral.publicKey);
    ASSERT_TRUE(wrapped.ok());
    const Jid phoneJid = Jid::make(QStringLiteral("15550000042"), QString(Jid::kUserServer));
    auto hello = c.query(
        iq(QStringLiteral("set"), QStringLiteral("md"),
           {Node(QStringLiteral("link_code_companion_reg"),
                 {{QStringLiteral("jid"), phoneJid}, {QStringLiteral("stage"), QStringLiteral("companion_hello")}},
                 std::vector<Node>{bytesNode("link_code_pairing_wrapped_companion_ephemeral_pub", *wrapped),
                                   bytesNode("companion_server_auth_key_pub", keys.noise.publicKey),
                                   bytesNode("companion_platform_id", "1"),
                                   bytesNode("companion_platform_display", "Chrome (Linux)"),
                                   bytesNode("link_code_pairing_nonce", QByteArray(1, '\0'))})}));
    ASSERT_TRUE(hello && hello->child(u"link_code_companion_reg"));
    const QByteArray ref = hello->child(u"link_code_companion_reg")->child(u"link_code_pairing_ref")->bytes();

    ASSERT_TRUE(sim.enterPairingCode(QStringLiteral("15550000042"), QStringLiteral("ABCD-2345")).ok());
    auto notification = c.waitForTag(QStringLiteral("notification"));
    ASSERT_TRUE(notification);
    const Node &reg = *notification->child(u"link_code_companion_reg");
    EXPECT_EQ(reg.child(u"link_code_pairing_ref")->bytes(), ref);
    pairing_code::FinishInput input{code,
                                    ephemeral,
                                    reg.child(u"link_code_pairing_wrapped_primary_ephemeral_pub")->bytes(),
                                    reg.child(u"primary_identity_pub")->bytes(),
                                    keys.identity,
                                    crypto::randomBytes(32),
                                    crypto::randomBytes(32),
                                    crypto::randomBytes(12)};
    auto finish = pairing_code::companionFinish(input);
    ASSERT_TRUE(finish.ok());
    Node finishIq =
        iq(QStringLiteral("set"), QStringLiteral("md"),
           {Node(QStringLiteral("link_code_companion_reg"),
                 {{QStringLiteral("jid"), phoneJid}, {QStringLiteral("stage"), QStringLiteral("companion_finish")}},
                 std::vector<Node>{bytesNode("link_code_pairing_wrapped_key_bundle", finish->wrappedKeyBundle),
                                   bytesNode("companion_identity_public", keys.identity.publicKey),
                                   bytesNode("link_code_pairing_ref", ref)})});
    finishIq.setAttribute(QStringLiteral("id"), c.nextIqId());
    ASSERT_TRUE(c.send(finishIq).ok());
    auto success = c.waitFor([](const Node &n) { return n.child(u"pair-success") != nullptr; });
    ASSERT_TRUE(success);
    // Keyed with the derived adv secret, the HMAC verifies.
    auto verified = adv::verifyPairSuccess(success->child(u"pair-success")->child(u"device-identity")->bytes(),
                                           finish->advSecret, keys.identity.publicKey);
    EXPECT_TRUE(verified.ok()) << verified.error().code.toStdString();
}

} // namespace
} // namespace atende::wasim::test
