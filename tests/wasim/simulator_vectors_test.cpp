// The simulator's self-test with test-vectors.json (PROTOCOL.md §12.3, §15): with the vectors' fixed server
// keys and chain, the ClientHello frame of the vectors must produce exactly the vectors' ServerHello frame,
// and after the vectors' ClientFinish the server's first transport frame must decrypt with the vectors'
// client receive key (counter 0).
#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/cipher_state.h"
#include "test_vectors.h"
#include "tests/wasim/simulator.h"

#include <QTest>
#include <QWebSocket>
#include <gtest/gtest.h>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;
using server::whatsapp::test::vectorHex;

crypto::KeyPair vectorKeyPair(const char *name)
{
    const std::string priv = std::string(name) + "_priv";
    const std::string pub = std::string(name) + "_pub";
    return crypto::KeyPair{vectorHex({"keys", priv.c_str()}), vectorHex({"keys", pub.c_str()})};
}

QByteArray u24(qsizetype n)
{
    QByteArray out(3, '\0');
    out[0] = char((n >> 16) & 0xFF);
    out[1] = char((n >> 8) & 0xFF);
    out[2] = char(n & 0xFF);
    return out;
}

TEST(WasimVectors, ResponderReproducesTheVectorServerHelloOverTheWire)
{
    SimulatorOptions options;
    options.serverStatic = vectorKeyPair("server_static");
    options.ephemeralKeys = [] {
        return vectorKeyPair("server_ephemeral");
    };
    options.certChainOverride = vectorHex({"cert_chain", "cert_chain"});
    Simulator sim(options);
    ASSERT_TRUE(sim.start().ok());

    QWebSocket socket(QStringLiteral("https://web.whatsapp.com"));
    QByteArray received;
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, [&](const QByteArray &b) { received += b; });
    socket.open(sim.wsUrl());
    ASSERT_TRUE(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));

    // Split the first frame across two WebSocket messages: boundaries must not matter.
    const QByteArray frame1 = vectorHex({"noise", "frame1_client_hello_with_intro"});
    socket.sendBinaryMessage(frame1.first(5));
    socket.sendBinaryMessage(frame1.sliced(5));
    const QByteArray serverHello = vectorHex({"noise", "server_hello_handshake_message"});
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() >= serverHello.size() + 3; }, 5000));
    EXPECT_EQ(received.toHex().toStdString(), (u24(serverHello.size()) + serverHello).toHex().toStdString());

    // The vectors' ClientFinish logs in a device the simulator does not know: <failure reason="401"/>,
    // encrypted with the server send key = the vectors' client receive key.
    received.clear();
    socket.sendBinaryMessage(vectorHex({"noise", "frame2_client_finish"}));
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() > 3; }, 5000));
    const qsizetype length = (quint8(received[0]) << 16) | (quint8(received[1]) << 8) | quint8(received[2]);
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() >= length + 3; }, 5000));
    CipherState receive(vectorHex({"noise", "client_recv_key"}));
    auto plain = receive.decrypt(received.sliced(3, length));
    ASSERT_TRUE(plain.ok()) << plain.error().code.toStdString();
    auto node = BinaryDecoder::decodeFrame(*plain);
    ASSERT_TRUE(node.ok());
    EXPECT_EQ(node->tag, QStringLiteral("failure"));
    EXPECT_EQ(node->attributeString(u"reason"), QStringLiteral("401"));
}

TEST(WasimVectors, AcceptsTheRoutingInfoIntro)
{
    SimulatorOptions options;
    options.serverStatic = vectorKeyPair("server_static");
    options.ephemeralKeys = [] {
        return vectorKeyPair("server_ephemeral");
    };
    options.certChainOverride = vectorHex({"cert_chain", "cert_chain"});
    Simulator sim(options);
    ASSERT_TRUE(sim.start().ok());
    QWebSocket socket;
    QByteArray received;
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, [&](const QByteArray &b) { received += b; });
    socket.open(sim.wsUrl());
    ASSERT_TRUE(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
    // "ED" 00 01 ‖ u24(len) ‖ routing info ‖ WA intro ‖ frame: the prologue stays the plain WA intro.
    const QByteArray routing("\x08\x02\x08\x05", 4);
    socket.sendBinaryMessage(QByteArray("ED\x00\x01", 4) + u24(routing.size()) + routing +
                             vectorHex({"noise", "frame1_client_hello_with_intro"}));
    const QByteArray serverHello = vectorHex({"noise", "server_hello_handshake_message"});
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() >= serverHello.size() + 3; }, 5000));
    EXPECT_EQ(received.sliced(3), serverHello);
}

} // namespace
} // namespace atende::wasim::test
