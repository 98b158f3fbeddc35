#pragma once
// WhatsApp's Noise XX handshake (PROTOCOL.md §2.2-§2.6), for both ends: the client (initiator) that Atende
// runs against WhatsApp, and the responder that the simulated server (atende-wasim) runs. Inputs and
// outputs are HandshakeMessage protobuf bytes; framing (intro, u24 lengths) is the FrameWriter's job.
//
// Initiator: writeClientHello → readServerHello → writeClientFinish → split.
// Responder: readClientHello → writeServerHello → readClientFinish → split.
// Keys are injected (tests use fixed ones). Calls out of order fail with wa_noise_out_of_order; any
// failure leaves the handshake unusable.

#include "common/core/result.h"
#include "server/whatsapp/cipher_state.h"
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/symmetric_state.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp {

class CertChainVerifier;

class NoiseHandshake {
public:
    enum class Role { Initiator, Responder };

    struct ServerHelloResult {
        QByteArray serverStaticKey; // verified against the certificate chain
        QByteArray certChain;       // decrypted CertChain bytes
    };
    struct ClientFinishResult {
        QByteArray clientStaticKey; // what the server checks against the key stored at pairing
        QByteArray clientPayload;   // serialized ClientPayload
    };

    // `prologue` is the 4-byte WA intro even when the ED routing prefix was sent (§1.2).
    NoiseHandshake(Role role, crypto::KeyPair staticKey, crypto::KeyPair ephemeralKey, QByteArray prologue);

    // Initiator
    core::Result<QByteArray> writeClientHello();
    core::Result<ServerHelloResult> readServerHello(QByteArrayView message, const CertChainVerifier &verifier);
    core::Result<QByteArray> writeClientFinish(QByteArrayView clientPayload);

    // Responder
    core::Status readClientHello(QByteArrayView message);
    core::Result<QByteArray> writeServerHello(QByteArrayView certChain);
    core::Result<ClientFinishResult> readClientFinish(QByteArrayView message);

    // After the last message: the transport keys for this side.
    core::Result<NoiseTransport> split() const;

    const SymmetricState &state() const { return m_state; }
    Role role() const { return m_role; }

private:
    enum class Step { Start, HelloDone, ServerHelloDone, Finished, Failed };
    core::Status expect(Role role, Step step);
    template <typename T> core::Result<T> failed(core::Result<T> result);
    core::Status failed(core::Status status);
    core::Status mixDh(QByteArrayView privateKey, QByteArrayView publicKey);

    Role m_role;
    crypto::KeyPair m_static;
    crypto::KeyPair m_ephemeral;
    SymmetricState m_state;
    QByteArray m_remoteEphemeral;
    Step m_step = Step::Start;
};

} // namespace atende::server::whatsapp
