#include "server/whatsapp/crypto.h"

#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <climits>
#include <memory>

namespace atende::server::whatsapp::crypto {

namespace {

using core::Error;

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};
struct PkeyFree {
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); }
};
struct KdfFree {
    void operator()(EVP_KDF *k) const { EVP_KDF_free(k); }
};
struct KdfCtxFree {
    void operator()(EVP_KDF_CTX *c) const { EVP_KDF_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

const unsigned char *bytes(QByteArrayView v)
{
    // OpenSSL treats a NULL pointer as "no value" even with length 0 (TOOLCHAIN.md pitfall 13), so an
    // empty view still points at something.
    static constexpr unsigned char kEmpty = 0;
    return v.isEmpty() ? &kEmpty : reinterpret_cast<const unsigned char *>(v.data());
}

unsigned char *bytes(QByteArray &a)
{
    return reinterpret_cast<unsigned char *>(a.data());
}

bool fitsInt(QByteArrayView v)
{
    return v.size() <= INT_MAX / 2;
}

Error cryptoError(const char *what)
{
    return Error::make(errc::kCryptoFailed, QString::fromLatin1(what));
}

Result<QByteArray> gcm(bool encrypt, QByteArrayView key, QByteArrayView iv, QByteArrayView aad, QByteArrayView input)
{
    if (key.size() != kKeySize || iv.size() != kGcmIvSize || !fitsInt(aad) || !fitsInt(input))
        return cryptoError("aes-gcm: bad key, iv or size");
    if (!encrypt && input.size() < kGcmTagSize)
        return Error::make(errc::kNoiseDecryptFailed, QStringLiteral("ciphertext shorter than the GCM tag"));
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(iv), encrypt ? 1 : 0) != 1)
        return cryptoError("aes-gcm: init failed");
    int len = 0;
    if (!aad.isEmpty() && EVP_CipherUpdate(ctx.get(), nullptr, &len, bytes(aad), int(aad.size())) != 1)
        return cryptoError("aes-gcm: aad failed");
    const QByteArrayView body = encrypt ? input : input.first(input.size() - kGcmTagSize);
    QByteArray out(body.size() + (encrypt ? kGcmTagSize : 0), Qt::Uninitialized);
    int written = 0;
    if (!body.isEmpty()) {
        if (EVP_CipherUpdate(ctx.get(), bytes(out), &len, bytes(body), int(body.size())) != 1)
            return cryptoError("aes-gcm: update failed");
        written = len;
    }
    if (!encrypt) {
        QByteArray tag = input.last(kGcmTagSize).toByteArray();
        if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag.data()) != 1)
            return cryptoError("aes-gcm: set tag failed");
    }
    if (EVP_CipherFinal_ex(ctx.get(), bytes(out) + written, &len) != 1) {
        if (!encrypt)
            return Error::make(errc::kNoiseDecryptFailed, QStringLiteral("AES-GCM authentication failed"));
        return cryptoError("aes-gcm: final failed");
    }
    if (encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagSize, bytes(out) + body.size()) != 1)
        return cryptoError("aes-gcm: get tag failed");
    return out;
}

Pkey privateKeyFrom(QByteArrayView privateKey)
{
    return Pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, bytes(privateKey), kKeySize));
}

} // namespace

QByteArray randomBytes(qsizetype count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(bytes(out), int(count)) != 1) {
        // Without randomness nothing is safe; refuse to continue rather than hand out predictable keys.
        qCCritical(lcWhatsApp) << "RAND_bytes failed";
        qFatal("atende.server.whatsapp: no randomness available");
    }
    return out;
}

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    if (EVP_Digest(bytes(data), size_t(data.size()), bytes(out), &len, EVP_sha256(), nullptr) != 1)
        qCCritical(lcWhatsApp) << "SHA-256 failed";
    return out;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    QByteArray out(32, Qt::Uninitialized);
    size_t len = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, bytes(key), size_t(key.size()), bytes(data),
                   size_t(data.size()), bytes(out), size_t(out.size()), &len))
        qCCritical(lcWhatsApp) << "HMAC-SHA256 failed";
    return out;
}

QByteArray hkdfSha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, qsizetype length)
{
    QByteArray out(length, Qt::Uninitialized);
    std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
    std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
    char digest[] = "SHA256";
    OSSL_PARAM params[5];
    int n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char *>(bytes(ikm)),
                                                    size_t(ikm.size()));
    // An absent salt is HashLen zero bytes by definition, which is what OpenSSL uses when none is set.
    if (!salt.isEmpty())
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<unsigned char *>(bytes(salt)),
                                                        size_t(salt.size()));
    if (!info.isEmpty())
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<unsigned char *>(bytes(info)),
                                                        size_t(info.size()));
    params[n] = OSSL_PARAM_construct_end();
    if (!ctx || EVP_KDF_derive(ctx.get(), bytes(out), size_t(length), params) != 1)
        qCCritical(lcWhatsApp) << "HKDF-SHA256 failed";
    return out;
}

QByteArray pbkdf2Sha256(QByteArrayView password, QByteArrayView salt, int iterations, qsizetype length)
{
    QByteArray out(length, Qt::Uninitialized);
    if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char *>(bytes(password)), int(password.size()), bytes(salt),
                          int(salt.size()), iterations, EVP_sha256(), int(length), bytes(out)) != 1)
        qCCritical(lcWhatsApp) << "PBKDF2 failed";
    return out;
}

Result<QByteArray> aesGcmEncrypt(QByteArrayView key, QByteArrayView iv, QByteArrayView aad, QByteArrayView plaintext)
{
    return gcm(true, key, iv, aad, plaintext);
}

Result<QByteArray> aesGcmDecrypt(QByteArrayView key, QByteArrayView iv, QByteArrayView aad,
                                 QByteArrayView ciphertextAndTag)
{
    return gcm(false, key, iv, aad, ciphertextAndTag);
}

Result<QByteArray> aesCtr(QByteArrayView key, QByteArrayView iv, QByteArrayView data)
{
    if (key.size() != kKeySize || iv.size() != 16 || !fitsInt(data))
        return cryptoError("aes-ctr: bad key, iv or size");
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, bytes(key), bytes(iv)) != 1)
        return cryptoError("aes-ctr: init failed");
    QByteArray out(data.size(), Qt::Uninitialized);
    int len = 0;
    int written = 0;
    if (!data.isEmpty()) {
        if (EVP_EncryptUpdate(ctx.get(), bytes(out), &len, bytes(data), int(data.size())) != 1)
            return cryptoError("aes-ctr: update failed");
        written = len;
    }
    if (EVP_EncryptFinal_ex(ctx.get(), bytes(out) + written, &len) != 1)
        return cryptoError("aes-ctr: final failed");
    return out;
}

Result<QByteArray> x25519PublicKey(QByteArrayView privateKey)
{
    if (privateKey.size() != kKeySize)
        return Error::make(errc::kNoiseBadKey, QStringLiteral("X25519 private key must be 32 bytes"));
    Pkey key = privateKeyFrom(privateKey);
    QByteArray out(kKeySize, Qt::Uninitialized);
    size_t len = size_t(out.size());
    if (!key || EVP_PKEY_get_raw_public_key(key.get(), bytes(out), &len) != 1 || len != size_t(kKeySize))
        return cryptoError("x25519: public key derivation failed");
    return out;
}

Result<KeyPair> x25519KeyPair(QByteArrayView privateKey)
{
    auto pub = x25519PublicKey(privateKey);
    if (!pub)
        return pub.error();
    return KeyPair{privateKey.toByteArray(), std::move(pub).value()};
}

KeyPair generateX25519KeyPair()
{
    QByteArray priv = randomBytes(kKeySize);
    // Clamp like libsignal does, so the stored private key is the scalar actually used.
    priv[0] = char(quint8(priv[0]) & 248);
    priv[31] = char((quint8(priv[31]) & 127) | 64);
    auto pair = x25519KeyPair(priv);
    if (!pair)
        qFatal("atende.server.whatsapp: X25519 key generation failed");
    return std::move(pair).value();
}

Result<QByteArray> x25519(QByteArrayView privateKey, QByteArrayView publicKey)
{
    if (privateKey.size() != kKeySize || publicKey.size() != kKeySize)
        return Error::make(errc::kNoiseBadKey, QStringLiteral("X25519 keys must be 32 bytes"));
    Pkey priv = privateKeyFrom(privateKey);
    Pkey peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, bytes(publicKey), kKeySize));
    if (!priv || !peer)
        return cryptoError("x25519: key import failed");
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, priv.get(), nullptr));
    QByteArray out(kKeySize, Qt::Uninitialized);
    size_t len = size_t(out.size());
    // OpenSSL refuses an all-zero result, i.e. a low-order peer key; that is the check we want.
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
        EVP_PKEY_derive(ctx.get(), bytes(out), &len) != 1 || len != size_t(kKeySize))
        return Error::make(errc::kNoiseBadKey, QStringLiteral("X25519 agreement failed (low-order key?)"));
    return out;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return a.isEmpty() || CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace atende::server::whatsapp::crypto
