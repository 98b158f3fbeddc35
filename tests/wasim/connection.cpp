#include "tests/wasim/connection.h"

#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/frame_writer.h"
#include "server/whatsapp/noise_handshake.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

#include <QTimer>
#include <QWebSocket>

namespace atende::wasim {

using namespace server::whatsapp;

namespace {
// Frames from clients are small (the biggest is a prekey upload of ~812 keys ≈ 60 KiB); anything far
// beyond is hostile.
constexpr qsizetype kMaxClientFrame = 4 * 1024 * 1024;
} // namespace

Connection::Connection(Simulator &simulator, quint64 id, QWebSocket *socket)
    : QObject(&simulator)
    , m_simulator(simulator)
    , m_id(id)
    , m_socket(socket)
    , m_reader(FrameReader::Mode::IntroThenFrames, kMaxClientFrame)
{
    socket->setParent(this);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &Connection::onData);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this] { abort(QStringLiteral("text WebSocket message")); });
    connect(socket, &QWebSocket::disconnected, this, &Connection::markClosed);
}

Connection::~Connection()
{
    // The socket dies with us (child); its last signals must not reach a half-destroyed connection.
    if (m_socket)
        m_socket->disconnect(this);
}

QString Connection::phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Handshake: return QStringLiteral("handshake");
    case Phase::Registration: return QStringLiteral("registration");
    case Phase::LoggedIn: return QStringLiteral("logged_in");
    case Phase::Closed: return QStringLiteral("closed");
    }
    return {};
}

void Connection::beginRegistration(std::unique_ptr<RegistrationState> state)
{
    m_registration = std::move(state);
    m_phase = Phase::Registration;
}

void Connection::beginLogin(QString deviceKey)
{
    m_registration.reset();
    m_deviceKey = std::move(deviceKey);
    m_phase = Phase::LoggedIn;
}

void Connection::onData(const QByteArray &data)
{
    if (m_phase == Phase::Closed)
        return;
    if (core::Status s = m_reader.feed(data); !s) {
        abort(QStringLiteral("stream: %1").arg(s.error().code));
        return;
    }
    while (m_phase != Phase::Closed) {
        auto frame = m_reader.takeFrame();
        if (!frame)
            break;
        onFrame(*frame);
    }
}

void Connection::onFrame(const QByteArray &frame)
{
    if (m_handshake || m_phase == Phase::Handshake) {
        handshakeFrame(frame);
        return;
    }
    auto plaintext = m_transport.receive.decrypt(frame);
    if (!plaintext) {
        abort(QStringLiteral("transport frame does not decrypt (%1)").arg(plaintext.error().code));
        return;
    }
    auto node = BinaryDecoder::decodeFrame(*plaintext);
    if (!node) {
        abort(QStringLiteral("malformed node (%1)").arg(node.error().code));
        return;
    }
    m_simulator.onNode(*this, *node);
}

bool Connection::handshakeFrame(const QByteArray &frame)
{
    if (!m_handshake) {
        // First frame: ClientHello. The prologue is the plain intro even after an ED routing prefix.
        m_handshake = std::make_unique<NoiseHandshake>(NoiseHandshake::Role::Responder, m_simulator.serverStaticKey(),
                                                       m_simulator.nextEphemeral(), waIntro());
        if (core::Status s = m_handshake->readClientHello(frame); !s) {
            abort(QStringLiteral("ClientHello rejected (%1)").arg(s.error().code));
            return false;
        }
        auto hello = m_handshake->writeServerHello(m_simulator.certChain());
        if (!hello) {
            abort(QStringLiteral("ServerHello failed (%1)").arg(hello.error().code));
            return false;
        }
        writeRaw(*hello);
        return true;
    }
    auto finish = m_handshake->readClientFinish(frame);
    if (!finish) {
        abort(QStringLiteral("ClientFinish rejected (%1)").arg(finish.error().code));
        return false;
    }
    auto transport = m_handshake->split();
    if (!transport) {
        abort(QStringLiteral("split failed (%1)").arg(transport.error().code));
        return false;
    }
    m_transport = std::move(transport).value();
    m_clientStatic = finish->clientStaticKey;
    m_handshake.reset();
    m_phase = Phase::Registration; // provisional until the payload is understood
    m_simulator.onClientPayload(*this, finish->clientPayload);
    return true;
}

void Connection::writeRaw(const QByteArray &payload)
{
    if (!m_socket || m_phase == Phase::Closed)
        return;
    FrameWriter writer;
    auto framed = writer.frame(payload);
    if (!framed) {
        qCWarning(lcWasim) << "connection" << m_id << "cannot frame an outgoing payload:" << framed.error().code;
        return;
    }
    m_socket->sendBinaryMessage(*framed);
}

void Connection::send(const Node &node)
{
    if (m_phase == Phase::Closed || m_phase == Phase::Handshake)
        return;
    auto plain = m_simulator.faults().compressFrames ? BinaryEncoder::encodeCompressedFrame(node)
                                                     : BinaryEncoder::encodeFrame(node);
    if (!plain) {
        qCWarning(lcWasim) << "connection" << m_id << "cannot encode" << node.describe() << plain.error().code;
        return;
    }
    auto encrypted = m_transport.send.encrypt(*plain);
    if (!encrypted) {
        abort(QStringLiteral("transport encrypt failed (%1)").arg(encrypted.error().code));
        return;
    }
    writeRaw(*encrypted);
}

void Connection::sendReply(const Node &node)
{
    const int delay = m_simulator.faults().replyDelayMs;
    if (delay <= 0) {
        send(node);
        return;
    }
    QTimer::singleShot(delay, this, [this, node] { send(node); });
}

void Connection::streamErrorAndClose(const Node &error, const QString &reason)
{
    send(error);
    close(reason);
}

void Connection::close(const QString &reason)
{
    if (m_phase == Phase::Closed)
        return;
    m_simulator.record(QStringLiteral("closed %1 %2").arg(m_id).arg(reason));
    qCInfo(lcWasim) << "connection" << m_id << "closed:" << reason;
    m_phase = Phase::Closed;
    if (m_socket) {
        m_socket->flush();
        m_socket->close();
    }
    Q_EMIT closed();
}

void Connection::abort(const QString &reason)
{
    if (m_phase == Phase::Closed)
        return;
    m_simulator.record(QStringLiteral("dropped %1 %2").arg(m_id).arg(reason));
    qCInfo(lcWasim) << "connection" << m_id << "dropped:" << reason;
    m_phase = Phase::Closed;
    if (m_socket)
        m_socket->abort();
    Q_EMIT closed();
}

void Connection::markClosed()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    m_simulator.record(QStringLiteral("disconnected %1").arg(m_id));
    Q_EMIT closed();
}

} // namespace atende::wasim
