// Edges: a peer device that changes its identity key (trusted and reported, PROTOCOL.md §7.5), the memory of
// an idle messenger, and stanzas the simulator never sends (groups, malformed nodes of every tag).
#include "server/signal/signal_account.h"
#include "server/whatsapp/key_bundle.h"
#include "server/whatsapp/message_content.h"
#include "server/whatsapp/message_padding.h"
#include "server/whatsapp/message_stanza.h"
#include "tests/messenger/messenger_fixture.h"
#include "tests/wasim/test_client.h"

#include <malloc.h>

namespace atende::test {
namespace {

using namespace server::whatsapp;

// A peer device whose identity key changes (a reinstall keeping the device address) is trusted, and the
// message says so (ReceivedMessage::identityChanged and Messenger::identityChanged).
TEST_F(MessengerTest, IdentityChangeOfAPeerDeviceIsReported)
{
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    ASSERT_TRUE(sim->createUser({QStringLiteral("15550000004"), QStringLiteral("Carol"), {}}).ok());
    const wasim::test::ClientKeys keys = wasim::test::ClientKeys::generate();
    wasim::ScanOptions options;
    options.phone = QStringLiteral("15550000004");
    auto paired = wasim::test::pairWithQr(*sim, keys, options);
    ASSERT_TRUE(paired.ok());
    wasim::test::TestClient carol(sim->wsUrl(), sim->trustRootPublicKey());
    ASSERT_TRUE(wasim::test::login(carol, keys, *paired).ok());
    const Jid bDevice = *b.deviceJid();
    QList<Jid> changed;
    QObject::connect(b.messenger(), &server::messenger::Messenger::identityChanged, b.messenger(),
                     [&](const Jid &user) { changed.append(user); });

    // Carol's "installation": a Signal account that builds a session from B's bundle and sends a pkmsg.
    auto sendAs = [&](const Credentials &credentials, const QString &id, const QString &text) {
        server::signal::SignalAccount account(context, nullptr, credentials, {});
        auto answer = carol.query(buildKeyBundleQuery({bDevice}).value());
        EXPECT_TRUE(answer.has_value());
        auto bundles = parseKeyBundleResult(*answer);
        EXPECT_TRUE(bundles.ok() && bundles->bundles.size() == 1);
        const PreKeyBundle &w = bundles->bundles.front();
        server::signal::PreKeyBundle bundle{w.registrationId, w.identityKey,           w.signedPreKeyId,
                                            w.signedPreKey,   w.signedPreKeySignature, std::nullopt};
        if (w.preKeyId)
            bundle.preKey = server::signal::PreKeyBundle::OneTime{*w.preKeyId, w.preKey};
        const auto address = *server::signal::addressForJid(bDevice);
        EXPECT_TRUE(account.processPreKeyBundle(address, bundle).ok());
        auto encrypted = account.encrypt(address, padMessageRandom(buildTextMessage(text)));
        EXPECT_TRUE(encrypted.ok());
        OutgoingMessage m;
        m.id = id;
        m.to = userJid(b);
        m.encs = {{bDevice, QStringLiteral("pkmsg"), encrypted->bytes, {}}};
        m.deviceIdentity = QByteArray("carol-account");
        EXPECT_TRUE(carol.send(buildMessageStanza(m).value()).ok());
    };
    sendAs(Credentials::generate(), QStringLiteral("3EB0CAROL1"), QStringLiteral("primeira instalação"));
    ASSERT_TRUE(waitMessages(b, 1));
    EXPECT_FALSE(b.messages().back().message.identityChanged);
    EXPECT_TRUE(changed.isEmpty());
    sendAs(Credentials::generate(), QStringLiteral("3EB0CAROL2"), QStringLiteral("reinstalei o app"));
    ASSERT_TRUE(waitMessages(b, 2));
    const auto &second = b.messages().back().message;
    EXPECT_EQ(second.content.text, QStringLiteral("reinstalei o app"));
    EXPECT_TRUE(second.identityChanged);
    ASSERT_EQ(changed.size(), 1);
    EXPECT_EQ(changed.front(), Jid::make(QStringLiteral("15550000004"), QString(Jid::kUserServer)));
}

} // namespace
} // namespace atende::test

namespace atende::test {
namespace {

// Thousands of accounts share a process: an idle Messenger must cost little beyond its Session and account
// (no timers, empty caches allocate nothing). Measured with glibc's allocator statistics over 1,000.
TEST_F(MessengerTest, IdleMessengerIsSmall)
{
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    constexpr int kCount = 1000;
    std::vector<std::unique_ptr<server::messenger::Messenger>> messengers;
    messengers.reserve(kCount);
    const size_t before = mallinfo2().uordblks;
    for (int i = 0; i < kCount; ++i)
        messengers.push_back(std::make_unique<server::messenger::Messenger>(*b.session(), *b.account(), b));
    const size_t after = mallinfo2().uordblks;
    const double perMessenger = double(after - before) / kCount;
    std::printf("idle messenger: %.0f bytes each (heap, incl. its two signal connections)\n", perMessenger);
    EXPECT_LT(perMessenger, 4096.0);
}

} // namespace
} // namespace atende::test

namespace atende::test {
namespace {

using namespace server::whatsapp;

// Stanzas the simulator would never send, handed to the messenger as the Session hands out what it reads
// off the wire: groups (ignored by default: receipted, never handed out) and malformed nodes of every tag.
TEST_F(MessengerTest, InjectedGroupAndMalformedStanzasNeverReachTheHandlerNorCrash)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    Session &session = *b.session();
    const Jid group = Jid::make(QStringLiteral("120363000000000001"), QString(Jid::kGroupServer));
    const Jid member = Jid::make(QString::fromLatin1(kPhoneA), QString(Jid::kUserServer), 1);
    Node groupMessage(QStringLiteral("message"),
                      {{QStringLiteral("from"), group},
                       {QStringLiteral("participant"), member},
                       {QStringLiteral("id"), QStringLiteral("3EB0GROUP1")},
                       {QStringLiteral("t"), QStringLiteral("1700000000")},
                       {QStringLiteral("type"), QStringLiteral("text")}},
                      std::vector<Node>{Node(QStringLiteral("enc"),
                                             {{QStringLiteral("v"), QStringLiteral("2")},
                                              {QStringLiteral("type"), QStringLiteral("skmsg")}},
                                             QByteArray("sender key ciphertext"))});
    const std::vector<Node> hostile{
        groupMessage,
        Node(QStringLiteral("message")),
        Node(QStringLiteral("message"), {{QStringLiteral("id"), QStringLiteral("x")}}),
        Node(QStringLiteral("message"), {{QStringLiteral("id"), QStringLiteral("x")}, {QStringLiteral("from"), member}},
             QByteArray("bytes instead of children")),
        Node(QStringLiteral("receipt")),
        Node(QStringLiteral("receipt"), {{QStringLiteral("id"), QStringLiteral("y")},
                                         {QStringLiteral("from"), member},
                                         {QStringLiteral("type"), QStringLiteral("retry")}}),
        Node(QStringLiteral("notification"), {{QStringLiteral("type"), QStringLiteral("devices")}}),
        Node(QStringLiteral("notification"),
             {{QStringLiteral("id"), QStringLiteral("n1")},
              {QStringLiteral("from"), member},
              {QStringLiteral("type"), QStringLiteral("encrypt")}},
             std::vector<Node>{Node(QStringLiteral("identity"))}),
        Node(QStringLiteral("chatstate")),
        Node(QStringLiteral("chatstate"), {{QStringLiteral("from"), member}}, QByteArray("?")),
        Node(QStringLiteral("presence"), {{QStringLiteral("type"), QStringLiteral("bogus")}}),
        Node(QStringLiteral("call")),
    };
    for (const Node &node : hostile)
        Q_EMIT session.stanzaReceived(node);
    QTest::qWait(500);
    EXPECT_EQ(b.handlerCalls(), 0);
    EXPECT_TRUE(b.isConnected());
    // Still fully working afterwards, both ways.
    ASSERT_TRUE(send(a, b, QStringLiteral("depois do lixo")).ok());
    ASSERT_TRUE(waitMessages(b, 1));
    EXPECT_EQ(b.messages().back().message.content.text, QStringLiteral("depois do lixo"));
    ASSERT_TRUE(send(b, a, QStringLiteral("ok")).ok());
    ASSERT_TRUE(waitMessages(a, 1));
}

} // namespace
} // namespace atende::test
