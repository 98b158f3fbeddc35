#include "server/whatsapp/noise_socket.h"

#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"
#include "server/whatsapp/noise_handshake.h"
#include "server/whatsapp/session_reasons.h"

#include <QNetworkRequest>
#include <QWebSocket>

namespace atende::server::whatsapp {

namespace {

const QString kOrigin = QStringLiteral("https://web.whatsapp.com");

} // namespace

NoiseSocket::NoiseSocket(QObject *context, Callbacks callbacks)
    : m_context(context)
    , m_callbacks(std::move(callbacks))
    , m_writer(waIntro())
    , m_alive(std::make_shared<bool>(true))
{
    m_handshakeTimer.setSingleShot(true);
    QObject::connect(&m_handshakeTimer, &QTimer::timeout, m_context,
                     [this] { fail(QString(reason::kHandshakeTimeout), QStringLiteral("no answer in time")); });
}

NoiseSocket::~NoiseSocket()
{
    *m_alive = false;
    abort();
}

void NoiseSocket::open(const QUrl &url, const crypto::KeyPair &noiseKey, QByteArray clientPayload,
                       CertChainVerifier verifier, std::chrono::milliseconds handshakeTimeout)
{
    Q_ASSERT(m_phase == Phase::Idle);
    m_phase = Phase::Connecting;
    m_noiseKey = noiseKey;
    m_clientPayload = std::move(clientPayload);
    m_verifier = std::make_unique<CertChainVerifier>(std::move(verifier));
    // The real server requires the Origin of WhatsApp Web (§1.1).
    m_socket = new QWebSocket(kOrigin, QWebSocketProtocol::VersionLatest, m_context);
    QObject::connect(m_socket, &QWebSocket::connected, m_socket, [this] { onConnected(); });
    QObject::connect(m_socket, &QWebSocket::binaryMessageReceived, m_socket,
                     [this](const QByteArray &data) { onBinary(data); });
    QObject::connect(m_socket, &QWebSocket::disconnected, m_socket,
                     [this] { fail(QString(reason::kNetworkError), QStringLiteral("socket closed")); });
    QObject::connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), m_socket,
                     [this](QAbstractSocket::SocketError error) {
                         fail(QString(reason::kNetworkError), QStringLiteral("socket error %1").arg(int(error)));
                     });
    m_handshakeTimer.start(handshakeTimeout);
    m_socket->open(QNetworkRequest(url));
}

void NoiseSocket::onConnected()
{
    if (m_phase != Phase::Connecting)
        return;
    // A fresh ephemeral key for every attempt (§11.3); the prologue is the plain intro (§1.2).
    m_handshake = std::make_unique<NoiseHandshake>(NoiseHandshake::Role::Initiator, m_noiseKey,
                                                   crypto::generateX25519KeyPair(), waIntro());
    auto hello = m_handshake->writeClientHello();
    if (!hello)
        return fail(QString(reason::kHandshakeFailed), hello.error().code);
    auto frame = m_writer.frame(*hello);
    if (!frame)
        return fail(QString(reason::kHandshakeFailed), frame.error().code);
    m_phase = Phase::AwaitServerHello;
    m_socket->sendBinaryMessage(*frame);
}

void NoiseSocket::onBinary(const QByteArray &data)
{
    if (m_phase != Phase::AwaitServerHello && m_phase != Phase::Transport)
        return;
    if (auto fed = m_reader.feed(data); !fed)
        return fail(QString(reason::kFrameInvalid), fed.error().code);
    // Handlers may close (and delete) this socket while frames are still queued.
    const std::shared_ptr<bool> alive = m_alive;
    while (*alive && m_phase != Phase::Closed) {
        auto frame = m_reader.takeFrame();
        if (!frame)
            break;
        onFrame(*frame);
    }
}

void NoiseSocket::onFrame(const QByteArray &frame)
{
    if (m_callbacks.frameReceived) {
        const std::shared_ptr<bool> alive = m_alive;
        m_callbacks.frameReceived();
        if (!*alive)
            return;
    }
    if (m_phase == Phase::AwaitServerHello)
        handleServerHello(frame);
    else
        handleTransportFrame(frame);
}

void NoiseSocket::handleServerHello(const QByteArray &frame)
{
    auto hello = m_handshake->readServerHello(frame, *m_verifier);
    if (!hello) {
        const bool certificate = hello.error().code.startsWith(QLatin1String("wa_cert_"));
        return fail(QString(certificate ? reason::kCertInvalid : reason::kHandshakeFailed), hello.error().code);
    }
    auto finish = m_handshake->writeClientFinish(m_clientPayload);
    if (!finish)
        return fail(QString(reason::kHandshakeFailed), finish.error().code);
    auto framed = m_writer.frame(*finish);
    auto transport = m_handshake->split();
    if (!framed || !transport)
        return fail(QString(reason::kHandshakeFailed), QStringLiteral("split failed"));
    m_transport = std::move(*transport);
    // Key material and the payload are no longer needed; keep the idle footprint small.
    m_handshake.reset();
    m_verifier.reset();
    m_clientPayload = QByteArray();
    m_noiseKey = {};
    m_socket->sendBinaryMessage(*framed);
    m_phase = Phase::Transport;
    if (m_callbacks.handshakeDone)
        m_callbacks.handshakeDone();
}

void NoiseSocket::handleTransportFrame(const QByteArray &frame)
{
    auto plaintext = m_transport.receive.decrypt(frame);
    if (!plaintext)
        return fail(QString(reason::kFrameDecryptFailed), plaintext.error().code);
    auto node = BinaryDecoder::decodeFrame(*plaintext);
    if (!node)
        return fail(QString(reason::kNodeDecodeFailed), node.error().code);
    m_handshakeTimer.stop(); // the server answered the payload (success, failure or pair-device)
    if (m_callbacks.node)
        m_callbacks.node(*node);
}

core::Status NoiseSocket::send(const Node &node)
{
    if (m_phase != Phase::Transport)
        return core::Error::make(errc::kNotConnected, QStringLiteral("the connection is not up"));
    auto plaintext = BinaryEncoder::encodeFrame(node);
    if (!plaintext)
        return plaintext.error();
    auto ciphertext = m_transport.send.encrypt(*plaintext);
    if (!ciphertext)
        return ciphertext.error();
    auto framed = m_writer.frame(*ciphertext);
    if (!framed)
        return framed.error();
    m_socket->sendBinaryMessage(*framed);
    return {};
}

void NoiseSocket::abort()
{
    m_handshakeTimer.stop();
    m_phase = Phase::Closed;
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    QObject::disconnect(socket, nullptr, nullptr, nullptr);
    // A graceful close, so that what we just sent (an error reply, an ack) still reaches the server; the
    // socket goes once the close handshake ends or after a grace period. Never deleted in place: we may be
    // inside one of its signals.
    QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(std::chrono::seconds(2), socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    socket->close();
}

void NoiseSocket::fail(const QString &reason, const QString &detail)
{
    if (m_phase == Phase::Closed)
        return;
    // Codes and counts only: never frame bytes, keys or node contents.
    qCInfo(lcWhatsApp).noquote() << "connection closed:" << reason << detail;
    abort();
    if (m_callbacks.closed) {
        auto closed = m_callbacks.closed; // the callback may delete this object
        closed(reason);
    }
}

} // namespace atende::server::whatsapp
