#pragma once
// One client WebSocket of the simulated server: stream reassembly (intro + u24 frames across WebSocket
// messages), the Noise responder handshake, then encrypted transport frames carrying binary nodes. What
// the nodes mean is the Simulator's business; this class only moves them. Any malformed input closes the
// connection with a logged reason (never the bytes). Kept small: the handshake object is dropped after
// the split, and registration state exists only on registration connections.

#include "server/whatsapp/cipher_state.h"
#include "server/whatsapp/frame_reader.h"
#include "server/whatsapp/node.h"
#include "tests/wasim/registration_state.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QWebSocket;

namespace atende::server::whatsapp {
class NoiseHandshake;
}

namespace atende::wasim {

class Simulator;

class Connection : public QObject {
    Q_OBJECT
public:
    enum class Phase { Handshake, Registration, LoggedIn, Closed };

    Connection(Simulator &simulator, quint64 id, QWebSocket *socket);
    ~Connection() override;

    quint64 id() const { return m_id; }
    Phase phase() const { return m_phase; }
    static QString phaseName(Phase phase);
    QByteArray clientStaticKey() const { return m_clientStatic; }
    // The logged-in device ("phone:device"), empty before login.
    QString deviceKey() const { return m_deviceKey; }
    RegistrationState *registration() { return m_registration.get(); }

    void beginRegistration(std::unique_ptr<RegistrationState> state);
    void beginLogin(QString deviceKey);

    // Encrypts and frames one node (compressed when the simulator's compress fault is on).
    void send(const server::whatsapp::Node &node);
    // The same after the simulator's ack/iq delay fault, if any.
    void sendReply(const server::whatsapp::Node &node);
    // Sends <stream:error …/> and closes the socket.
    void streamErrorAndClose(const server::whatsapp::Node &error, const QString &reason);
    // Closes the WebSocket normally.
    void close(const QString &reason);
    // Drops the TCP connection without a stream end or WebSocket close frame.
    void abort(const QString &reason);

Q_SIGNALS:
    void closed();

private:
    void onData(const QByteArray &data);
    void onFrame(const QByteArray &frame);
    bool handshakeFrame(const QByteArray &frame);
    void writeRaw(const QByteArray &payload);
    void markClosed();

    Simulator &m_simulator;
    quint64 m_id;
    QPointer<QWebSocket> m_socket;
    server::whatsapp::FrameReader m_reader;
    std::unique_ptr<server::whatsapp::NoiseHandshake> m_handshake;
    server::whatsapp::NoiseTransport m_transport;
    QByteArray m_clientStatic;
    QString m_deviceKey;
    std::unique_ptr<RegistrationState> m_registration;
    Phase m_phase = Phase::Handshake;
};

} // namespace atende::wasim
