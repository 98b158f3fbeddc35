#include "server/security/envelope.h"

#include "server/security/aes_gcm.h"
#include "server/security/error_codes.h"
#include "server/security/secure_random.h"

#include <openssl/crypto.h>

namespace atende::server::security {

namespace {

using atende::core::Error;

constexpr qsizetype kHeaderSize = 1 + SymmetricKey::kIdSize;
constexpr QByteArrayView kWrapLabel = "atende/envelope/v1/data-key";
constexpr QByteArrayView kValueLabel = "atende/envelope/v1/value/";

QByteArray header(const QByteArray &keyId)
{
    QByteArray h;
    h.reserve(kHeaderSize);
    h.append(char(Envelope::kVersion));
    h.append(keyId);
    return h;
}

// Encrypts under `key` and lays out header | nonce | ciphertext | tag. The header goes into the AAD.
atende::core::Result<QByteArray> seal(const SymmetricKey &key, QByteArrayView label, QByteArrayView callerAad,
                                      QByteArrayView plaintext)
{
    auto nonce = secureRandomBytes(aesgcm::kNonceSize);
    if (!nonce)
        return nonce.error();
    const QByteArray head = header(key.id());
    const QByteArray aad = head + label.toByteArray() + callerAad.toByteArray();
    auto sealed = aesgcm::seal(key, *nonce, aad, plaintext);
    if (!sealed)
        return sealed.error();
    return head + *nonce + *sealed;
}

// Checks the header against `key` and opens the payload.
atende::core::Result<QByteArray> open(const SymmetricKey &key, QByteArrayView label, QByteArrayView callerAad,
                                      QByteArrayView blob)
{
    if (blob.size() < Envelope::kOverhead)
        return Error::make(errc::kEnvelopeMalformed, QStringLiteral("encrypted blob too short"));
    if (quint8(blob.at(0)) != Envelope::kVersion)
        return Error::make(errc::kEnvelopeUnsupportedVersion, QStringLiteral("unsupported envelope version"),
                           {{QStringLiteral("version"), int(quint8(blob.at(0)))}});
    const QByteArrayView keyId = blob.sliced(1, SymmetricKey::kIdSize);
    if (keyId != QByteArrayView(key.id()))
        return Error::make(errc::kEnvelopeWrongKey, QStringLiteral("blob was encrypted with another key"),
                           {{QStringLiteral("keyId"), QString::fromLatin1(keyId.toByteArray().toHex())},
                            {QStringLiteral("expectedKeyId"), QString::fromLatin1(key.id().toHex())}});
    const QByteArray aad = blob.first(kHeaderSize).toByteArray() + label.toByteArray() + callerAad.toByteArray();
    return aesgcm::open(key, blob.sliced(kHeaderSize, aesgcm::kNonceSize), aad,
                        blob.sliced(kHeaderSize + aesgcm::kNonceSize));
}

} // namespace

atende::core::Result<QByteArray> Envelope::wrap(const DataKey &dataKey, const MasterKey &masterKey)
{
    QByteArray raw = dataKey.key().toByteArray();
    auto wrapped = seal(masterKey.key(), kWrapLabel, {}, raw);
    OPENSSL_cleanse(raw.data(), size_t(raw.size()));
    return wrapped;
}

atende::core::Result<DataKey> Envelope::unwrap(QByteArrayView wrapped, const MasterKey &masterKey)
{
    if (wrapped.size() != kWrappedKeySize)
        return Error::make(errc::kEnvelopeMalformed, QStringLiteral("wrapped data key has the wrong size"));
    auto raw = open(masterKey.key(), kWrapLabel, {}, wrapped);
    if (!raw)
        return raw.error();
    auto key = DataKey::fromRaw(*raw);
    OPENSSL_cleanse(raw->data(), size_t(raw->size()));
    return key;
}

atende::core::Result<QByteArray> Envelope::rewrap(QByteArrayView wrapped, const MasterKey &oldMaster,
                                                  const MasterKey &newMaster)
{
    if (keyIdOf(wrapped) == newMaster.keyId()) {
        // Already done by an earlier, interrupted run; prove it opens before saying so.
        auto check = unwrap(wrapped, newMaster);
        if (!check)
            return check.error();
        return wrapped.toByteArray();
    }
    auto dataKey = unwrap(wrapped, oldMaster);
    if (!dataKey)
        return dataKey.error();
    return wrap(*dataKey, newMaster);
}

atende::core::Result<QByteArray> Envelope::encrypt(QByteArrayView plaintext, const DataKey &dataKey,
                                                   QByteArrayView associatedData)
{
    return seal(dataKey.key(), kValueLabel, associatedData, plaintext);
}

atende::core::Result<QByteArray> Envelope::decrypt(QByteArrayView ciphertext, const DataKey &dataKey,
                                                   QByteArrayView associatedData)
{
    return open(dataKey.key(), kValueLabel, associatedData, ciphertext);
}

std::optional<QByteArray> Envelope::keyIdOf(QByteArrayView blob)
{
    if (blob.size() < kOverhead || quint8(blob.at(0)) != kVersion)
        return std::nullopt;
    return blob.sliced(1, SymmetricKey::kIdSize).toByteArray();
}

} // namespace atende::server::security
