// A Session against a server that completes the Noise handshake and then sends bytes that do not decrypt
// or do not decode: the session must close with the matching reason, log it, never crash, and reconnect.
#include "server/whatsapp/frame_reader.h"
#include "server/whatsapp/frame_writer.h"
#include "server/whatsapp/noise_handshake.h"
#include "server/whatsapp/session.h"
#include "server/whatsapp/session_reasons.h"
#include "tests/wasim/test_ca.h"
#include "tests/whatsapp/memory_session_store.h"

#include <QDateTime>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>
#include <gtest/gtest.h>

#include <memory>

using namespace atende::server::whatsapp;
using namespace std::chrono_literals;

namespace {

enum class Hostility { UndecryptableFrame, UndecodableNode };

// Just enough of a WhatsApp server to finish the handshake (PROTOCOL.md §2.3), then misbehave.
class HostileServer {
public:
    explicit HostileServer(Hostility hostility)
        : m_hostility(hostility)
        , m_server(QStringLiteral("hostile"), QWebSocketServer::NonSecureMode)
        , m_static(crypto::generateX25519KeyPair())
    {
        m_chain = m_ca.chainFor(m_static.publicKey, atende::wasim::ChainFault::None, QDateTime::currentSecsSinceEpoch())
                      .value();
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection())
                accept(socket);
        });
    }

    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/chat").arg(m_server.serverPort())); }
    QByteArray rootKey() const { return m_ca.rootPublicKey(); }
    int connections = 0;
    int handshakes = 0;

private:
    struct Peer {
        FrameReader reader{FrameReader::Mode::IntroThenFrames};
        FrameWriter writer;
        std::unique_ptr<NoiseHandshake> handshake;
        NoiseTransport transport;
        int step = 0;
    };

    void accept(QWebSocket *socket)
    {
        ++connections;
        socket->setParent(&m_server);
        auto peer = std::make_shared<Peer>();
        peer->handshake = std::make_unique<NoiseHandshake>(NoiseHandshake::Role::Responder, m_static,
                                                           crypto::generateX25519KeyPair(), waIntro());
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                         [this, socket, peer](const QByteArray &data) {
                             ASSERT_TRUE(peer->reader.feed(data).ok());
                             while (auto frame = peer->reader.takeFrame()) {
                                 if (peer->step == 0) {
                                     ASSERT_TRUE(peer->handshake->readClientHello(*frame).ok());
                                     auto hello = peer->handshake->writeServerHello(m_chain);
                                     ASSERT_TRUE(hello.ok());
                                     socket->sendBinaryMessage(peer->writer.frame(*hello).value());
                                     peer->step = 1;
                                 } else if (peer->step == 1) {
                                     ASSERT_TRUE(peer->handshake->readClientFinish(*frame).ok());
                                     peer->transport = peer->handshake->split().value();
                                     peer->step = 2;
                                     ++handshakes;
                                     misbehave(socket, *peer);
                                 }
                             }
                         });
    }

    void misbehave(QWebSocket *socket, Peer &peer)
    {
        QByteArray payload;
        if (m_hostility == Hostility::UndecryptableFrame)
            payload = crypto::randomBytes(48); // no valid GCM tag
        else
            payload = peer.transport.send.encrypt(QByteArray("\x00\xf8\x05\x19", 4)).value(); // truncated node
        socket->sendBinaryMessage(peer.writer.frame(payload).value());
    }

    Hostility m_hostility;
    atende::wasim::TestCa m_ca;
    QWebSocketServer m_server;
    crypto::KeyPair m_static;
    QByteArray m_chain;
};

void expectCloseAndReconnect(Hostility hostility, const QString &expectedReason)
{
    HostileServer server(hostility);
    atende::test::MemorySessionStore store;
    SessionConfig config;
    config.url = server.url();
    config.trustRootPublicKey = server.rootKey();
    config.backoffInitial = 100ms;
    Session session(config, Credentials::generate(), store);
    QStringList reasons;
    QObject::connect(&session, &Session::stateChanged, &session,
                     [&](SessionState, const QString &reason) { reasons.append(reason); });
    session.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return reasons.contains(expectedReason); }, 10000))
        << reasons.join(u',').toStdString();
    EXPECT_TRUE(QTest::qWaitFor([&] { return server.handshakes >= 2; }, 10000)); // and it came back
    EXPECT_GE(session.health().reconnects, 1);
    session.stop();
    EXPECT_EQ(session.state(), SessionState::Disconnected);
}

} // namespace

TEST(WaSessionHostile, UndecryptableFrameClosesAndReconnects)
{
    expectCloseAndReconnect(Hostility::UndecryptableFrame, QString(reason::kFrameDecryptFailed));
}

TEST(WaSessionHostile, UndecodableNodeClosesAndReconnects)
{
    expectCloseAndReconnect(Hostility::UndecodableNode, QString(reason::kNodeDecodeFailed));
}
