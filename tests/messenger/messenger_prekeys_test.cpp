// Prekey supply (PROTOCOL.md §6.3): the Session uploads one-time prekeys and tops them up when the server
// runs low; PreKeyForwardingStore hands each stored batch to the SignalAccount, so a pkmsg built on a
// topped-up prekey decrypts.
#include "server/signal/signal_account.h"
#include "server/whatsapp/key_bundle.h"
#include "server/whatsapp/message_content.h"
#include "server/whatsapp/message_padding.h"
#include "server/whatsapp/message_stanza.h"
#include "tests/messenger/messenger_fixture.h"
#include "tests/wasim/test_client.h"

namespace atende::test {
namespace {

using namespace server::whatsapp;

TEST_F(MessengerTest, ToppedUpPreKeysReachTheAccountAndDecrypt)
{
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    // The first upload (after login), forwarded to the account.
    ASSERT_TRUE(QTest::qWaitFor([&] { return b.account()->preKeyCount() == 812; }, 10000));
    ASSERT_TRUE(sim->createUser({QStringLiteral("15550000005"), QStringLiteral("Dave"), {}}).ok());
    const wasim::test::ClientKeys keys = wasim::test::ClientKeys::generate();
    wasim::ScanOptions options;
    options.phone = QStringLiteral("15550000005");
    auto paired = wasim::test::pairWithQr(*sim, keys, options);
    ASSERT_TRUE(paired.ok());
    wasim::test::TestClient dave(sim->wsUrl(), sim->trustRootPublicKey());
    ASSERT_TRUE(wasim::test::login(dave, keys, *paired).ok());
    const Jid bDevice = *b.deviceJid();

    // Drain B's one-time prekeys on the server (each bundle fetch hands one out); below 5 the server notifies
    // B, whose Session uploads a new batch.
    for (int round = 0; round < 9; ++round) {
        auto answer = dave.query(buildKeyBundleQuery(QList<Jid>(100, bDevice)).value(), 10000);
        ASSERT_TRUE(answer.has_value());
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return b.account()->preKeyCount() == 812 + 50; }, 10000))
        << b.account()->preKeyCount();
    ASSERT_TRUE(QTest::qWaitFor([&] { return sim->device(deviceKey(b))->preKeys.size() == 50; }, 5000));

    // A new sender gets a topped-up prekey (id 813) and B decrypts the pkmsg that consumes it.
    auto answer = dave.query(buildKeyBundleQuery({bDevice}).value());
    ASSERT_TRUE(answer.has_value());
    auto bundles = parseKeyBundleResult(*answer);
    ASSERT_TRUE(bundles.ok() && bundles->bundles.size() == 1);
    const PreKeyBundle &w = bundles->bundles.front();
    ASSERT_TRUE(w.preKeyId.has_value());
    EXPECT_EQ(*w.preKeyId, 813u);
    server::signal::PreKeyBundle bundle{
        w.registrationId, w.identityKey,           w.signedPreKeyId,
        w.signedPreKey,   w.signedPreKeySignature, server::signal::PreKeyBundle::OneTime{*w.preKeyId, w.preKey}};
    server::signal::SignalAccount account(context, nullptr, Credentials::generate(), {});
    const auto address = *server::signal::addressForJid(bDevice);
    ASSERT_TRUE(account.processPreKeyBundle(address, bundle).ok());
    auto encrypted = account.encrypt(address, padMessageRandom(buildTextMessage(QStringLiteral("chave nova"))));
    ASSERT_TRUE(encrypted.ok());
    OutgoingMessage m;
    m.id = QStringLiteral("3EB0DAVE01");
    m.to = userJid(b);
    m.encs = {{bDevice, QStringLiteral("pkmsg"), encrypted->bytes, {}}};
    m.deviceIdentity = QByteArray("dave-account");
    ASSERT_TRUE(dave.send(buildMessageStanza(m).value()).ok());
    ASSERT_TRUE(waitMessages(b, 1));
    EXPECT_EQ(b.messages().back().message.content.text, QStringLiteral("chave nova"));
    EXPECT_EQ(b.account()->preKeyCount(), 812 + 50 - 1); // consumed
}

} // namespace
} // namespace atende::test
