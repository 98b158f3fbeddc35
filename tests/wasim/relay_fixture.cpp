#include "tests/wasim/relay_fixture.h"

namespace atende::wasim::test {

using namespace server::whatsapp;

void RelayTest::SetUp()
{
    ASSERT_TRUE(sim->start().ok());
    ASSERT_TRUE(sim->createUser({QString::fromLatin1(kPhoneA), QStringLiteral("Alice Phone"), {}}).ok());
    ASSERT_TRUE(sim->createUser({QString::fromLatin1(kPhoneB), QStringLiteral("Bob Phone"), {}}).ok());
    a1 = pair(QString::fromLatin1(kPhoneA));
    a2 = pair(QString::fromLatin1(kPhoneA));
    b1 = pair(QString::fromLatin1(kPhoneB));
}

Companion RelayTest::pair(const QString &phone)
{
    Companion c{ClientKeys::generate(), {}};
    ScanOptions options;
    options.phone = phone;
    auto paired = pairWithQr(*sim, c.keys, options);
    EXPECT_TRUE(paired.ok()) << (paired ? std::string() : paired.error().message.toStdString());
    if (paired)
        c.paired = *paired;
    return c;
}

std::unique_ptr<TestClient> RelayTest::connect(const Companion &c)
{
    auto client = std::make_unique<TestClient>(sim->wsUrl(), sim->trustRootPublicKey());
    const core::Status s = login(*client, c.keys, c.paired);
    EXPECT_TRUE(s.ok()) << (s ? std::string() : s.error().message.toStdString());
    return client;
}

Node RelayTest::message(const QString &id, const QString &to, const QStringList &devices, const QString &encType)
{
    OutgoingMessage m;
    m.id = id;
    m.to = *Jid::parse(to);
    for (const QString &device : devices)
        m.encs.push_back({*Jid::parse(device), encType, QByteArray("ct:") + device.toUtf8(), {}});
    m.deviceIdentity = QByteArray("account-of-sender");
    return buildMessageStanza(m).value();
}

std::optional<Node> RelayTest::nextMessage(TestClient &client, int timeoutMs)
{
    return client.waitFor([](const Node &n) { return n.tag == u"message"; }, timeoutMs);
}

} // namespace atende::wasim::test
