#pragma once
// One WebSocket connection to WhatsApp carrying the Noise stream (PROTOCOL.md §1, §2): intro + frames, the
// XX handshake with the server certificate chain checked, then AES-GCM transport frames holding binary
// nodes (zlib-compressed ones too). Anything wrong on the wire closes the connection with a reason code
// (session_reasons.h); the owner decides about reconnecting. One instance per connection attempt.
//
// Small on purpose (thousands per process): a QWebSocket, a frame buffer and the cipher states.

#include "server/whatsapp/cert_chain_verifier.h"
#include "server/whatsapp/cipher_state.h"
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/frame_reader.h"
#include "server/whatsapp/frame_writer.h"
#include "server/whatsapp/node.h"

#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QWebSocket;

namespace atende::server::whatsapp {

class NoiseHandshake;

class NoiseSocket {
public:
    struct Callbacks {
        std::function<void()> handshakeDone;
        std::function<void(const Node &)> node;
        std::function<void()> frameReceived; // any frame, for health.lastFrameAt and keepalive
        // Called once per connection: `reason` is a session reason code; the socket is already closed.
        std::function<void(const QString &reason)> closed;
    };

    NoiseSocket(QObject *context, Callbacks callbacks);
    ~NoiseSocket();
    NoiseSocket(const NoiseSocket &) = delete;
    NoiseSocket &operator=(const NoiseSocket &) = delete;

    // `clientPayload` is the serialized ClientPayload; the handshake and the server's first node (success,
    // failure, pair-device) must arrive within `handshakeTimeout`.
    void open(const QUrl &url, const crypto::KeyPair &noiseKey, QByteArray clientPayload, CertChainVerifier verifier,
              std::chrono::milliseconds handshakeTimeout);
    bool isReady() const { return m_phase == Phase::Transport; }
    // Encrypts and sends one node; fails when the transport is not up or the node cannot be encoded.
    core::Status send(const Node &node);
    // Closes without calling `closed` (the owner already knows why).
    void abort();

private:
    enum class Phase { Idle, Connecting, AwaitServerHello, Transport, Closed };
    void onConnected();
    void onBinary(const QByteArray &data);
    void onFrame(const QByteArray &frame);
    void handleServerHello(const QByteArray &frame);
    void handleTransportFrame(const QByteArray &frame);
    void fail(const QString &reason, const QString &detail);

    QObject *m_context;
    Callbacks m_callbacks;
    QWebSocket *m_socket = nullptr;
    QTimer m_handshakeTimer;
    Phase m_phase = Phase::Idle;
    FrameReader m_reader;
    FrameWriter m_writer;
    std::unique_ptr<NoiseHandshake> m_handshake;
    std::unique_ptr<CertChainVerifier> m_verifier;
    QByteArray m_clientPayload;
    crypto::KeyPair m_noiseKey;
    NoiseTransport m_transport;
    std::shared_ptr<bool> m_alive; // false once destroyed; checked after callbacks
};

} // namespace atende::server::whatsapp
