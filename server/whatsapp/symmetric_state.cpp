#include "server/whatsapp/symmetric_state.h"

#include "server/whatsapp/crypto.h"
#include "server/whatsapp/error_codes.h"

namespace atende::server::whatsapp {

SymmetricState::SymmetricState()
    : m_hash(protocolName())
    , m_chainingKey(protocolName())
{}

QByteArray SymmetricState::protocolName()
{
    // Exactly 32 bytes, so Noise uses it directly as h instead of hashing it.
    return QByteArrayLiteral("Noise_XX_25519_AESGCM_SHA256\0\0\0\0");
}

void SymmetricState::mixHash(QByteArrayView data)
{
    QByteArray input = m_hash;
    input.append(data);
    m_hash = crypto::sha256(input);
}

void SymmetricState::mixKey(QByteArrayView inputKeyMaterial)
{
    const QByteArray out = crypto::hkdfSha256(inputKeyMaterial, m_chainingKey, {}, 64);
    m_chainingKey = out.first(32);
    m_key = out.sliced(32);
    m_counter = 0;
}

core::Result<QByteArray> SymmetricState::encryptAndHash(QByteArrayView plaintext)
{
    if (m_key.isEmpty())
        return core::Error::make(errc::kNoiseOutOfOrder, QStringLiteral("encrypt before the first MixKey"));
    auto ciphertext = crypto::aesGcmEncrypt(m_key, CipherState::nonce(m_counter), m_hash, plaintext);
    if (!ciphertext)
        return ciphertext;
    ++m_counter;
    mixHash(*ciphertext);
    return ciphertext;
}

core::Result<QByteArray> SymmetricState::decryptAndHash(QByteArrayView ciphertext)
{
    if (m_key.isEmpty())
        return core::Error::make(errc::kNoiseOutOfOrder, QStringLiteral("decrypt before the first MixKey"));
    auto plaintext = crypto::aesGcmDecrypt(m_key, CipherState::nonce(m_counter), m_hash, ciphertext);
    if (!plaintext)
        return plaintext;
    ++m_counter;
    mixHash(ciphertext); // the ciphertext, not the plaintext, enters the transcript
    return plaintext;
}

std::pair<QByteArray, QByteArray> SymmetricState::split() const
{
    const QByteArray out = crypto::hkdfSha256({}, m_chainingKey, {}, 64);
    return {out.first(32), out.sliced(32)};
}

} // namespace atende::server::whatsapp
