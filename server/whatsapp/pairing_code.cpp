#include "server/whatsapp/pairing_code.h"

#include "server/whatsapp/error_codes.h"

namespace atende::server::whatsapp::pairing_code {

using core::Error;
using core::Result;

namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";

QByteArray keyBundleKey(QByteArrayView sharedSecret, QByteArrayView salt)
{
    return crypto::hkdfSha256(sharedSecret, salt, "link_code_pairing_key_bundle_encryption_key", 32);
}

Error invalid(QString why)
{
    return Error::make(errc::kPairingCodeInvalid, std::move(why));
}

} // namespace

QString codeFromBytes(QByteArrayView fiveBytes)
{
    quint64 bits = 0;
    for (qsizetype i = 0; i < 5 && i < fiveBytes.size(); ++i)
        bits = (bits << 8) | quint8(fiveBytes[i]);
    QString code;
    for (int i = kCodeLength - 1; i >= 0; --i)
        code += QLatin1Char(kAlphabet[(bits >> (5 * i)) & 0x1F]);
    return code;
}

QString generateCode()
{
    return codeFromBytes(crypto::randomBytes(5));
}

QString displayCode(const QString &code)
{
    return code.left(4) + u'-' + code.mid(4);
}

QByteArray codeKey(const QString &code, QByteArrayView salt)
{
    return crypto::pbkdf2Sha256(code.toLatin1(), salt, kPbkdf2Iterations, 32);
}

Result<QByteArray> wrapEphemeral(const QString &code, QByteArrayView salt, QByteArrayView iv,
                                 QByteArrayView ephemeralPublicKey)
{
    if (salt.size() != 32 || iv.size() != 16 || ephemeralPublicKey.size() != 32)
        return invalid(QStringLiteral("wrap needs a 32-byte salt, 16-byte iv and 32-byte key"));
    auto encrypted = crypto::aesCtr(codeKey(code, salt), iv, ephemeralPublicKey);
    if (!encrypted)
        return encrypted;
    QByteArray out = salt.toByteArray();
    out.append(iv);
    out.append(*encrypted);
    return out;
}

Result<QByteArray> unwrapEphemeral(const QString &code, QByteArrayView wrapped)
{
    if (wrapped.size() != kWrappedSize)
        return invalid(QStringLiteral("wrapped ephemeral key must be 80 bytes"));
    return crypto::aesCtr(codeKey(code, wrapped.first(32)), wrapped.sliced(32, 16), wrapped.sliced(48));
}

Result<FinishResult> companionFinish(const FinishInput &input)
{
    if (input.random.size() != 32 || input.keyBundleSalt.size() != 32 || input.nonce.size() != 12 ||
        input.primaryIdentityPublicKey.size() != 32)
        return invalid(QStringLiteral("companion_finish inputs have bad sizes"));
    auto primaryEphemeral = unwrapEphemeral(input.code, input.wrappedPrimaryEphemeral);
    if (!primaryEphemeral)
        return primaryEphemeral.error();
    auto shared = crypto::x25519(input.companionEphemeral.privateKey, *primaryEphemeral);
    if (!shared)
        return shared.error();

    QByteArray plaintext = input.identity.publicKey;
    plaintext.append(input.primaryIdentityPublicKey);
    plaintext.append(input.random);
    auto sealed = crypto::aesGcmEncrypt(keyBundleKey(*shared, input.keyBundleSalt), input.nonce, {}, plaintext);
    if (!sealed)
        return sealed.error();

    auto identityAgreement = crypto::x25519(input.identity.privateKey, input.primaryIdentityPublicKey);
    if (!identityAgreement)
        return identityAgreement.error();

    FinishResult result;
    result.wrappedKeyBundle = input.keyBundleSalt + input.nonce + *sealed;
    result.advSecret = deriveAdvSecret(*shared, *identityAgreement, input.random);
    return result;
}

Result<QByteArray> openKeyBundle(QByteArrayView sharedSecret, QByteArrayView wrappedKeyBundle)
{
    if (wrappedKeyBundle.size() < 32 + 12 + crypto::kGcmTagSize)
        return invalid(QStringLiteral("key bundle too short"));
    return crypto::aesGcmDecrypt(keyBundleKey(sharedSecret, wrappedKeyBundle.first(32)),
                                 wrappedKeyBundle.sliced(32, 12), {}, wrappedKeyBundle.sliced(44));
}

QByteArray deriveAdvSecret(QByteArrayView sharedSecret, QByteArrayView identityAgreement, QByteArrayView random)
{
    QByteArray ikm = sharedSecret.toByteArray();
    ikm.append(identityAgreement);
    ikm.append(random);
    return crypto::hkdfSha256(ikm, {}, "adv_secret", 32);
}

} // namespace atende::server::whatsapp::pairing_code
