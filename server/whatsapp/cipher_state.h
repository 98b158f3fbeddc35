#pragma once
// Transport encryption after the Noise split (PROTOCOL.md §2.5): each direction has its own AES-256-GCM
// key and 32-bit frame counter starting at 0; IV = 8 zero bytes ‖ u32be(counter), no associated data.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp {

class CipherState {
public:
    CipherState() = default;
    explicit CipherState(QByteArray key);

    static QByteArray nonce(quint32 counter);

    // Plaintext → ciphertext ‖ tag; advances the counter.
    core::Result<QByteArray> encrypt(QByteArrayView plaintext);
    // Advances the counter only on success. A failure means the stream is corrupt or forged: the caller
    // must drop the connection (the counters can no longer be trusted to match).
    core::Result<QByteArray> decrypt(QByteArrayView ciphertext);

    QByteArray key() const { return m_key; }
    // Frames processed so far; the counter of the next frame.
    quint64 counter() const { return m_counter; }

private:
    QByteArray m_key;
    quint64 m_counter = 0; // 64-bit so that exhausting the 32-bit nonce space is detectable
};

// Both directions of one connection after the handshake.
struct NoiseTransport {
    CipherState send;
    CipherState receive;
};

} // namespace atende::server::whatsapp
