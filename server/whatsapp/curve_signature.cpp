#include "server/whatsapp/curve_signature.h"

#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <signal/curve.h>
#include <signal/signal_protocol.h>

namespace atende::server::whatsapp {

namespace {

// libsignal refuses a provider without the HMAC callbacks (TOOLCHAIN.md pitfall 11) although curve
// signatures only draw randomness; the HMAC and SHA-512 callbacks are real so the context stays valid for
// anything else libsignal might call.

int randomFunc(uint8_t *data, size_t len, void *)
{
    return RAND_bytes(data, int(len)) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int hmacInit(void **context, const uint8_t *key, size_t keyLen, void *)
{
    *context = nullptr; // libsignal cleans up even after a failed init (pitfall 13)
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac);
    if (!ctx)
        return SG_ERR_NOMEM;
    static constexpr uint8_t kEmptyKey = 0;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(ctx, key ? key : &kEmptyKey, keyLen, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return SG_ERR_UNKNOWN;
    }
    *context = ctx;
    return SG_SUCCESS;
}

int hmacUpdate(void *context, const uint8_t *data, size_t len, void *)
{
    return EVP_MAC_update(static_cast<EVP_MAC_CTX *>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int hmacFinal(void *context, signal_buffer **output, void *)
{
    uint8_t out[EVP_MAX_MD_SIZE];
    size_t len = 0;
    if (EVP_MAC_final(static_cast<EVP_MAC_CTX *>(context), out, &len, sizeof out) != 1)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(out, len);
    return *output ? SG_SUCCESS : SG_ERR_NOMEM;
}

void hmacCleanup(void *context, void *)
{
    EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX *>(context));
}

int sha512Init(void **context, void *)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    *context = ctx;
    if (!ctx)
        return SG_ERR_NOMEM;
    return EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int sha512Update(void *context, const uint8_t *data, size_t len, void *)
{
    return EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int sha512Final(void *context, signal_buffer **output, void *)
{
    auto *ctx = static_cast<EVP_MD_CTX *>(context);
    uint8_t out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    // libsignal reuses the context after final, so re-initialise it like its reference provider does.
    if (EVP_DigestFinal_ex(ctx, out, &len) != 1 || EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) != 1)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(out, len);
    return *output ? SG_SUCCESS : SG_ERR_NOMEM;
}

void sha512Cleanup(void *context, void *)
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(context));
}

// Session ciphers are not this context's job (the Signal layer has its own provider); curve operations
// never encrypt.
int noCipher(signal_buffer **, int, const uint8_t *, size_t, const uint8_t *, size_t, const uint8_t *, size_t, void *)
{
    return SG_ERR_UNKNOWN;
}

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
    signal_crypto_provider provider = {};
    provider.random_func = randomFunc;
    provider.hmac_sha256_init_func = hmacInit;
    provider.hmac_sha256_update_func = hmacUpdate;
    provider.hmac_sha256_final_func = hmacFinal;
    provider.hmac_sha256_cleanup_func = hmacCleanup;
    provider.sha512_digest_init_func = sha512Init;
    provider.sha512_digest_update_func = sha512Update;
    provider.sha512_digest_final_func = sha512Final;
    provider.sha512_digest_cleanup_func = sha512Cleanup;
    provider.encrypt_func = noCipher;
    provider.decrypt_func = noCipher;
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
