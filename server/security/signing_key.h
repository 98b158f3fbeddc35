#pragma once
// One Ed25519 key for signing access tokens, identified by a `kid`. Serialisable as the raw 32-byte
// private key so the caller can store it encrypted (Envelope) in the database and every server instance
// loads the same keys. A key made from a public key only can verify but not sign (e.g. a retired key
// whose private half was destroyed). Copies share the immutable OpenSSL key object.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace atende::server::security {

class SigningKey {
public:
    static constexpr qsizetype kRawKeySize = 32;
    static constexpr qsizetype kSignatureSize = 64;

    static atende::core::Result<SigningKey> generate(QString kid);
    static atende::core::Result<SigningKey> fromPrivateKey(QString kid, QByteArrayView rawPrivateKey);
    static atende::core::Result<SigningKey> fromPublicKey(QString kid, QByteArrayView rawPublicKey);

    const QString &kid() const { return m_kid; }
    bool canSign() const { return m_hasPrivate; }
    // Empty for a verify-only key. The caller must encrypt it before storing it anywhere.
    QByteArray rawPrivateKey() const;
    QByteArray rawPublicKey() const;

    atende::core::Result<QByteArray> sign(QByteArrayView message) const;
    bool verify(QByteArrayView message, QByteArrayView signature) const;

private:
    SigningKey(QString kid, std::shared_ptr<EVP_PKEY> key, bool hasPrivate);

    QString m_kid;
    std::shared_ptr<EVP_PKEY> m_key;
    bool m_hasPrivate = false;
};

} // namespace atende::server::security
