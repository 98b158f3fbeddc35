#include "server/security/signing_key.h"

#include "server/security/error_codes.h"
#include "server/security/openssl_ptr.h"

#include <openssl/evp.h>

namespace atende::server::security {

namespace {

using atende::core::Error;

// A kid travels in the JWT header and ends up in logs: keep it short and printable.
bool validKid(const QString &kid)
{
    if (kid.isEmpty() || kid.size() > 64)
        return false;
    for (QChar c : kid) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_' && c != u'.')
            return false;
    }
    return true;
}

Error keyError(const QString &what)
{
    return Error::make(errc::kKeyInvalid, what);
}

QByteArray rawKey(EVP_PKEY *key, bool privateKey)
{
    QByteArray out(SigningKey::kRawKeySize, Qt::Uninitialized);
    size_t len = size_t(out.size());
    auto *buf = reinterpret_cast<unsigned char *>(out.data());
    const int ok =
        privateKey ? EVP_PKEY_get_raw_private_key(key, buf, &len) : EVP_PKEY_get_raw_public_key(key, buf, &len);
    if (ok != 1 || len != size_t(SigningKey::kRawKeySize))
        return {};
    return out;
}

} // namespace

SigningKey::SigningKey(QString kid, std::shared_ptr<EVP_PKEY> key, bool hasPrivate)
    : m_kid(std::move(kid))
    , m_key(std::move(key))
    , m_hasPrivate(hasPrivate)
{}

atende::core::Result<SigningKey> SigningKey::generate(QString kid)
{
    if (!validKid(kid))
        return keyError(QStringLiteral("invalid key id"));
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key)
        return Error::make(errc::kCryptoFailed, QStringLiteral("Ed25519 key generation failed"));
    return SigningKey(std::move(kid), std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free), true);
}

atende::core::Result<SigningKey> SigningKey::fromPrivateKey(QString kid, QByteArrayView rawPrivateKey)
{
    if (!validKid(kid))
        return keyError(QStringLiteral("invalid key id"));
    if (rawPrivateKey.size() != kRawKeySize)
        return keyError(QStringLiteral("Ed25519 private key must be 32 bytes"));
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                 reinterpret_cast<const unsigned char *>(rawPrivateKey.data()),
                                                 size_t(rawPrivateKey.size()));
    if (!key)
        return keyError(QStringLiteral("invalid Ed25519 private key"));
    return SigningKey(std::move(kid), std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free), true);
}

atende::core::Result<SigningKey> SigningKey::fromPublicKey(QString kid, QByteArrayView rawPublicKey)
{
    if (!validKid(kid))
        return keyError(QStringLiteral("invalid key id"));
    if (rawPublicKey.size() != kRawKeySize)
        return keyError(QStringLiteral("Ed25519 public key must be 32 bytes"));
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                reinterpret_cast<const unsigned char *>(rawPublicKey.data()),
                                                size_t(rawPublicKey.size()));
    if (!key)
        return keyError(QStringLiteral("invalid Ed25519 public key"));
    return SigningKey(std::move(kid), std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free), false);
}

QByteArray SigningKey::rawPrivateKey() const
{
    return m_hasPrivate ? rawKey(m_key.get(), true) : QByteArray();
}

QByteArray SigningKey::rawPublicKey() const
{
    return rawKey(m_key.get(), false);
}

atende::core::Result<QByteArray> SigningKey::sign(QByteArrayView message) const
{
    if (!m_hasPrivate)
        return keyError(QStringLiteral("key cannot sign (public key only)"));
    ossl::MdCtx ctx(EVP_MD_CTX_new());
    QByteArray sig(kSignatureSize, Qt::Uninitialized);
    size_t sigLen = size_t(sig.size());
    // Ed25519 is a one-shot algorithm: no digest is named, and EVP_DigestSign takes the whole message.
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &sigLen,
                       ossl::bytes(message.data(), message.size()), size_t(message.size())) != 1 ||
        sigLen != size_t(kSignatureSize))
        return Error::make(errc::kCryptoFailed, QStringLiteral("Ed25519 signing failed"));
    return sig;
}

bool SigningKey::verify(QByteArrayView message, QByteArrayView signature) const
{
    if (signature.size() != kSignatureSize)
        return false;
    ossl::MdCtx ctx(EVP_MD_CTX_new());
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                            size_t(signature.size()), ossl::bytes(message.data(), message.size()),
                            size_t(message.size())) == 1;
}

} // namespace atende::server::security
