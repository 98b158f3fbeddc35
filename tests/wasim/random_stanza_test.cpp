// Robustness: a logged-in client sending a few hundred random but well-encoded stanzas (known tags,
// namespaces and children with random shapes and bytes) may get errors or be disconnected, but the
// simulator never crashes and keeps serving other clients.
#include "server/whatsapp/crypto.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_client.h"

#include <QRandomGenerator>

#include <gtest/gtest.h>
#include <iterator>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;

class RandomStanzas {
public:
    explicit RandomStanzas(quint32 seed)
        : m_random(seed)
    {}
    Node node(int depth)
    {
        static const char *const kTags[] = {"count",
                                            "list",
                                            "key",
                                            "user",
                                            "digest",
                                            "usync",
                                            "query",
                                            "devices",
                                            "skey",
                                            "id",
                                            "value",
                                            "signature",
                                            "rotate",
                                            "remove-companion-device",
                                            "identity",
                                            "link_code_companion_reg",
                                            "pair-device-sign",
                                            "device-identity",
                                            "ping"};
        Node n(QString::fromLatin1(kTags[m_random.bounded(quint32(std::size(kTags)))]));
        if (m_random.bounded(3) == 0)
            n.setAttribute(QStringLiteral("jid"),
                           *Jid::parse(pick({QStringLiteral("15550000001@s.whatsapp.net"),
                                             QStringLiteral("15550000001:1@s.whatsapp.net"),
                                             QStringLiteral("1:99@s.whatsapp.net"), QStringLiteral("123@lid")})));
        if (m_random.bounded(4) == 0)
            n.setAttribute(QStringLiteral("stage"),
                           pick({QStringLiteral("companion_hello"), QStringLiteral("companion_finish")}));
        if (depth < 3 && m_random.bounded(2) == 0) {
            std::vector<Node> children;
            for (int i = 0, count = int(m_random.bounded(4)); i < count; ++i)
                children.push_back(node(depth + 1));
            n.content = std::move(children);
        } else if (m_random.bounded(2) == 0) {
            static const int kSizes[] = {0, 1, 3, 4, 32, 64, 80};
            n.content = crypto::randomBytes(kSizes[m_random.bounded(quint32(std::size(kSizes)))]);
        }
        return n;
    }
    Node stanza()
    {
        Node n(pick({QStringLiteral("iq"), QStringLiteral("presence"), QStringLiteral("message"),
                     QStringLiteral("receipt"), QStringLiteral("ib"), QStringLiteral("ack"),
                     QStringLiteral("notification"), QStringLiteral("chatstate"), QStringLiteral("bogus")}));
        n.setAttribute(QStringLiteral("id"), QStringLiteral("r%1").arg(m_random.bounded(1000)));
        // Mostly get/set so that iqs reach the namespace handlers instead of closing the connection at once.
        n.setAttribute(QStringLiteral("type"),
                       pick({QStringLiteral("get"), QStringLiteral("set"), QStringLiteral("get"), QStringLiteral("set"),
                             QStringLiteral("result"), QStringLiteral("available")}));
        n.setAttribute(
            QStringLiteral("xmlns"),
            pick({QStringLiteral("encrypt"), QStringLiteral("usync"), QStringLiteral("md"), QStringLiteral("passive"),
                  QStringLiteral("w:p"), QStringLiteral("privacy"), QStringLiteral("nope")}));
        n.content = std::vector<Node>{node(0), node(0)};
        return n;
    }

private:
    QString pick(const QStringList &from) { return from.at(qsizetype(m_random.bounded(quint32(from.size())))); }
    QRandomGenerator m_random;
};

TEST(WasimRandomStanzas, NeverCrashAndKeepServing)
{
    Simulator sim;
    ASSERT_TRUE(sim.start().ok());
    RandomStanzas generator(20261128);
    int sent = 0;
    for (int round = 0; round < 4; ++round) {
        const ClientKeys keys = ClientKeys::generate();
        auto paired = pairWithQr(sim, keys, {});
        ASSERT_TRUE(paired.ok()) << paired.error().message.toStdString();
        TestClient client(sim.wsUrl(), sim.trustRootPublicKey());
        ASSERT_TRUE(login(client, keys, *paired).ok());
        for (int i = 0; i < 100 && !client.isClosed(); ++i, ++sent)
            if (client.send(generator.stanza()).ok())
                (void)client.next(2); // let the simulator answer as we go
        (void)client.next(200);       // let the simulator work through them
    }
    EXPECT_GE(sent, 100);
    // Still serving: a fresh device pairs, logs in and gets its ping answered.
    const ClientKeys keys = ClientKeys::generate();
    auto paired = pairWithQr(sim, keys, {});
    ASSERT_TRUE(paired.ok());
    TestClient client(sim.wsUrl(), sim.trustRootPublicKey());
    ASSERT_TRUE(login(client, keys, *paired).ok());
    auto pong = client.query(Node(QStringLiteral("iq"), {{QStringLiteral("to"), Jid::serverJid()},
                                                         {QStringLiteral("type"), QStringLiteral("get")},
                                                         {QStringLiteral("xmlns"), QStringLiteral("w:p")}}));
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->attributeString(u"type"), QStringLiteral("result"));
}

} // namespace
} // namespace atende::wasim::test
