#pragma once
// The Noise SymmetricState of WhatsApp's Noise_XX_25519_AESGCM_SHA256 (PROTOCOL.md §2.1): handshake hash h,
// chaining key ck, cipher key k and ONE nonce counter shared by both directions during the handshake.
// NoiseHandshake drives it; it is public so that tests can check every intermediate value.

#include "common/core/result.h"
#include "server/whatsapp/cipher_state.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp {

class SymmetricState {
public:
    // h = ck = "Noise_XX_25519_AESGCM_SHA256\0\0\0\0" (32 bytes, used as is, not hashed).
    SymmetricState();

    static QByteArray protocolName();

    void mixHash(QByteArrayView data);
    // ck, k = HKDF(salt = ck, ikm, info = "", 64); counter = 0.
    void mixKey(QByteArrayView inputKeyMaterial);
    // AES-256-GCM(k, IV(counter), aad = h); counter++; mixHash(ciphertext).
    core::Result<QByteArray> encryptAndHash(QByteArrayView plaintext);
    core::Result<QByteArray> decryptAndHash(QByteArrayView ciphertext);
    // The two transport keys: first = HKDF(salt = ck, "", "", 64)[0:32], second = [32:64].
    std::pair<QByteArray, QByteArray> split() const;

    QByteArray hash() const { return m_hash; }
    QByteArray chainingKey() const { return m_chainingKey; }
    QByteArray cipherKey() const { return m_key; }
    quint32 counter() const { return m_counter; }

private:
    QByteArray m_hash;
    QByteArray m_chainingKey;
    QByteArray m_key;
    quint32 m_counter = 0;
};

} // namespace atende::server::whatsapp
