#include "server/whatsapp/cipher_state.h"

#include "server/whatsapp/crypto.h"
#include "server/whatsapp/error_codes.h"

namespace atende::server::whatsapp {

namespace {
constexpr quint64 kCounterLimit = quint64(1) << 32; // the IV holds 32 bits; never reuse one
}

CipherState::CipherState(QByteArray key)
    : m_key(std::move(key))
{}

QByteArray CipherState::nonce(quint32 counter)
{
    QByteArray iv(12, '\0');
    iv[8] = char(counter >> 24);
    iv[9] = char((counter >> 16) & 0xFF);
    iv[10] = char((counter >> 8) & 0xFF);
    iv[11] = char(counter & 0xFF);
    return iv;
}

core::Result<QByteArray> CipherState::encrypt(QByteArrayView plaintext)
{
    if (m_counter >= kCounterLimit)
        return core::Error::make(errc::kNoiseCounterExhausted, QStringLiteral("send counter exhausted"));
    auto out = crypto::aesGcmEncrypt(m_key, nonce(quint32(m_counter)), {}, plaintext);
    if (out)
        ++m_counter;
    return out;
}

core::Result<QByteArray> CipherState::decrypt(QByteArrayView ciphertext)
{
    if (m_counter >= kCounterLimit)
        return core::Error::make(errc::kNoiseCounterExhausted, QStringLiteral("receive counter exhausted"));
    auto out = crypto::aesGcmDecrypt(m_key, nonce(quint32(m_counter)), {}, ciphertext);
    if (out)
        ++m_counter;
    return out;
}

} // namespace atende::server::whatsapp
