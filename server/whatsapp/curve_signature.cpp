#include "server/whatsapp/curve_signature.h"

#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"
#include "server/whatsapp/signal_crypto_provider.h"

#include <signal/curve.h>
#include <signal/signal_protocol.h>

namespace atende::server::whatsapp {

namespace {

QByteArray withKeyType(QByteArrayView key)
{
    QByteArray serialized;
    serialized.reserve(33);
    serialized.append(char(0x05)); // DJB key type, as curve_decode_point expects
    serialized.append(key);
    return serialized;
}

} // namespace

bool verifyCurveSignature(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature)
{
    if (publicKey.size() != 32 || signature.size() != kCurveSignatureSize)
        return false;
    const QByteArray serialized = withKeyType(publicKey);
    ec_public_key *key = nullptr;
    if (curve_decode_point(&key, reinterpret_cast<const uint8_t *>(serialized.constData()), size_t(serialized.size()),
                           nullptr) != 0)
        return false;
    static constexpr uint8_t kEmpty = 0;
    const auto *msg = message.isEmpty() ? &kEmpty : reinterpret_cast<const uint8_t *>(message.data());
    const int result =
        curve_verify_signature(key, msg, size_t(message.size()), reinterpret_cast<const uint8_t *>(signature.data()),
                               size_t(signature.size()));
    SIGNAL_UNREF(key);
    return result == 1;
}

CurveSigner::CurveSigner()
{
    const signal_crypto_provider provider = opensslSignalCryptoProvider();
    if (signal_context_create(&m_context, nullptr) != 0 ||
        signal_context_set_crypto_provider(m_context, &provider) != 0) {
        qCCritical(lcWhatsApp) << "libsignal context setup failed";
        if (m_context)
            signal_context_destroy(m_context);
        m_context = nullptr;
    }
}

CurveSigner::~CurveSigner()
{
    if (m_context)
        signal_context_destroy(m_context);
}

core::Result<QByteArray> CurveSigner::sign(QByteArrayView privateKey, QByteArrayView message) const
{
    if (!m_context)
        return core::Error::make(errc::kCryptoFailed, QStringLiteral("libsignal context unavailable"));
    if (privateKey.size() != 32)
        return core::Error::make(errc::kNoiseBadKey, QStringLiteral("curve25519 private key must be 32 bytes"));
    ec_private_key *key = nullptr;
    if (curve_decode_private_point(&key, reinterpret_cast<const uint8_t *>(privateKey.data()), 32, m_context) != 0)
        return core::Error::make(errc::kNoiseBadKey, QStringLiteral("curve25519 private key rejected"));
    static constexpr uint8_t kEmpty = 0;
    const auto *msg = message.isEmpty() ? &kEmpty : reinterpret_cast<const uint8_t *>(message.data());
    signal_buffer *signature = nullptr;
    const int rc = curve_calculate_signature(m_context, &signature, key, msg, size_t(message.size()));
    SIGNAL_UNREF(key);
    if (rc != 0 || !signature)
        return core::Error::make(errc::kCryptoFailed, QStringLiteral("curve25519 signing failed"));
    QByteArray out(reinterpret_cast<const char *>(signal_buffer_data(signature)),
                   qsizetype(signal_buffer_len(signature)));
    signal_buffer_free(signature);
    return out;
}

} // namespace atende::server::whatsapp
