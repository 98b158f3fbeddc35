#pragma once
// A minimal WhatsApp client assembled from server/whatsapp's pieces (NoiseHandshake initiator, FrameWriter
// and FrameReader, the binary codec, adv pairing helpers), with blocking helpers for tests: connect with a
// ClientPayload, send nodes, wait for nodes. It is not the product Session; it exists to drive
// atende-wasim byte-faithfully from tests and to let tests misbehave on purpose.

#include "common/core/result.h"
#include "server/whatsapp/cert_chain_verifier.h"
#include "server/whatsapp/cipher_state.h"
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/frame_reader.h"
#include "server/whatsapp/frame_writer.h"
#include "server/whatsapp/node.h"

#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

namespace atende::server::whatsapp {
class NoiseHandshake;
}

namespace atende::wasim::test {

namespace wa = server::whatsapp;

// The key material a companion generates before its first connection (PROTOCOL.md §3.3).
struct ClientKeys {
    wa::crypto::KeyPair noise;
    wa::crypto::KeyPair identity;
    wa::crypto::KeyPair signedPreKey;
    QByteArray signedPreKeySignature;
    quint32 signedPreKeyId = 1;
    quint32 registrationId = 0;
    QByteArray advSecret;
    static ClientKeys generate();
};

QByteArray registrationPayload(const ClientKeys &keys, const QString &os = QStringLiteral("Atende"));
QByteArray loginPayload(quint64 username, quint32 device, const QString &pushName = {});

class TestClient : public QObject {
    Q_OBJECT
public:
    TestClient(QUrl url, QByteArray trustRoot, quint32 trustRootSerial = 0);
    ~TestClient() override;

    // Opens the WebSocket, runs the Noise handshake with `keys.noise` and sends `clientPayload`. The
    // certificate chain is verified against the trust root; its error is returned as is.
    core::Status connectWith(const ClientKeys &keys, const QByteArray &clientPayload, int timeoutMs = 5000);
    core::Status send(const wa::Node &node);
    // Raw bytes on the socket (tests of hostile input).
    void sendRaw(const QByteArray &bytes);
    // Next received node, or nullopt after the timeout / on close.
    std::optional<wa::Node> next(int timeoutMs = 5000);
    // The first node (received or still to come) that matches; others stay queued for later calls.
    std::optional<wa::Node> waitFor(const std::function<bool(const wa::Node &)> &match, int timeoutMs = 5000);
    std::optional<wa::Node> waitForTag(const QString &tag, int timeoutMs = 5000);
    // Sends an iq and waits for the reply with the same id.
    std::optional<wa::Node> query(wa::Node iq, int timeoutMs = 5000);
    bool waitClosed(int timeoutMs = 5000);
    bool isClosed() const { return m_closed; }
    void close();
    // Frames whose plaintext had the compressed flag (0x02).
    int compressedFrames() const { return m_compressedFrames; }
    QString nextIqId() { return QStringLiteral("tc-%1").arg(++m_iqCounter); }

private:
    void onData(const QByteArray &data);
    core::Status fail(const QString &why);

    QUrl m_url;
    wa::CertChainVerifier m_verifier;
    QWebSocket m_socket;
    wa::FrameReader m_reader{wa::FrameReader::Mode::Frames};
    wa::FrameWriter m_writer{wa::waIntro()};
    std::unique_ptr<wa::NoiseHandshake> m_handshake;
    std::optional<wa::NoiseTransport> m_transport;
    QList<QByteArray> m_handshakeFrames;
    QList<wa::Node> m_inbox;
    bool m_closed = false;
    bool m_broken = false;
    int m_compressedFrames = 0;
    int m_iqCounter = 0;
};

// QR pairing end to end (registration → pair-device → scan → pair-success → pair-device-sign → 515).
struct PairResult {
    quint64 username = 0;
    quint32 device = 0;
    QString jid;
};

} // namespace atende::wasim::test

namespace atende::wasim {
class Simulator;
struct ScanOptions;
} // namespace atende::wasim

namespace atende::wasim::test {
// Registers `keys` with the simulator, scans the first QR as the phone (options.phone), answers
// pair-success like a companion (verify HMAC + account signature, sign the device) and expects 515.
// Fails with a message naming the step.
core::Result<PairResult> pairWithQr(Simulator &simulator, const ClientKeys &keys, const ScanOptions &options);
// Logs in a paired device and consumes <success> and <ib><offline/></ib>.
core::Status login(TestClient &client, const ClientKeys &keys, const PairResult &paired);
} // namespace atende::wasim::test
