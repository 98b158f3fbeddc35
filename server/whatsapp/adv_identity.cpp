#include "server/whatsapp/adv_identity.h"

#include "server/whatsapp/crypto.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/error_codes.h"

namespace atende::server::whatsapp::adv {

using core::Error;

namespace {

QByteArrayView view(const std::string &s)
{
    return QByteArrayView(s.data(), qsizetype(s.size()));
}

QByteArrayView prefix(const char (&p)[2])
{
    return QByteArrayView(p, 2);
}

} // namespace

QByteArray identityHmac(QByteArrayView signedIdentityBytes, QByteArrayView advSecret,
                        proto::ADVEncryptionType accountType)
{
    QByteArray message;
    if (accountType == proto::HOSTED)
        message.append(prefix(kHostedAccountSignaturePrefix));
    message.append(signedIdentityBytes);
    return crypto::hmacSha256(advSecret, message);
}

QByteArray accountSignatureMessage(QByteArrayView details, QByteArrayView identityPublicKey, bool hostedDevice)
{
    QByteArray message(prefix(hostedDevice ? kHostedAccountSignaturePrefix : kAccountSignaturePrefix).toByteArray());
    message.append(details);
    message.append(identityPublicKey);
    return message;
}

QByteArray deviceSignatureMessage(QByteArrayView details, QByteArrayView identityPublicKey,
                                  QByteArrayView accountSignatureKey)
{
    QByteArray message(prefix(kDeviceSignaturePrefix).toByteArray());
    message.append(details);
    message.append(identityPublicKey);
    message.append(accountSignatureKey);
    return message;
}

core::Result<PairedIdentity> verifyPairSuccess(QByteArrayView deviceIdentityHmac, QByteArrayView advSecret,
                                               QByteArrayView identityPublicKey)
{
    proto::ADVSignedDeviceIdentityHMAC container;
    if (!container.ParseFromArray(deviceIdentityHmac.data(), int(deviceIdentityHmac.size())))
        return Error::make(errc::kAdvMalformed, QStringLiteral("ADVSignedDeviceIdentityHMAC does not parse"));

    const QByteArray expected = identityHmac(view(container.details()), advSecret, container.account_type());
    if (!crypto::constantTimeEquals(expected, view(container.hmac())))
        return Error::make(errc::kAdvHmacMismatch, QStringLiteral("device identity HMAC mismatch"));

    PairedIdentity paired;
    if (!paired.identity.ParseFromString(container.details()) ||
        !paired.details.ParseFromString(paired.identity.details()))
        return Error::make(errc::kAdvMalformed, QStringLiteral("ADVSignedDeviceIdentity does not parse"));

    const auto &identity = paired.identity;
    if (identity.account_signature_key().size() != 32 || identity.account_signature().size() != kCurveSignatureSize)
        return Error::make(errc::kAdvSignatureMismatch, QStringLiteral("account signature or key has a bad size"));
    // The HMAC prefix follows the container's account type, the signature prefix the device type (§5.2).
    const QByteArray message = accountSignatureMessage(view(identity.details()), identityPublicKey,
                                                       paired.details.device_type() == proto::HOSTED);
    if (!verifyCurveSignature(view(identity.account_signature_key()), message, view(identity.account_signature())))
        return Error::make(errc::kAdvSignatureMismatch, QStringLiteral("account signature does not verify"));
    return paired;
}

core::Status signDevice(PairedIdentity &paired, QByteArrayView identityPrivateKey, QByteArrayView identityPublicKey,
                        const CurveSigner &signer)
{
    auto &identity = paired.identity;
    const QByteArray message =
        deviceSignatureMessage(view(identity.details()), identityPublicKey, view(identity.account_signature_key()));
    auto signature = signer.sign(identityPrivateKey, message);
    if (!signature)
        return signature.error();
    identity.set_device_signature(signature->constData(), size_t(signature->size()));
    return {};
}

QByteArray replyIdentityBytes(const proto::ADVSignedDeviceIdentity &identity)
{
    proto::ADVSignedDeviceIdentity reply = identity;
    reply.clear_account_signature_key();
    const std::string bytes = reply.SerializeAsString();
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

Node pairDeviceSignReply(const QString &iqId, const QByteArray &replyIdentity, quint32 keyIndex)
{
    Node deviceIdentity(QStringLiteral("device-identity"), {{QStringLiteral("key-index"), QString::number(keyIndex)}},
                        replyIdentity);
    Node sign(QStringLiteral("pair-device-sign"), {}, std::vector<Node>{std::move(deviceIdentity)});
    return Node(QStringLiteral("iq"),
                {{QStringLiteral("to"), Jid::serverJid()},
                 {QStringLiteral("type"), QStringLiteral("result")},
                 {QStringLiteral("id"), iqId}},
                std::vector<Node>{std::move(sign)});
}

Node pairErrorReply(const QString &iqId, const core::Error &error)
{
    QString code = QStringLiteral("500");
    QString text = QStringLiteral("internal-error");
    if (error.code == QLatin1String(errc::kAdvHmacMismatch)) {
        code = QStringLiteral("401");
        text = QStringLiteral("hmac-mismatch");
    } else if (error.code == QLatin1String(errc::kAdvSignatureMismatch)) {
        code = QStringLiteral("401");
        text = QStringLiteral("signature-mismatch");
    }
    Node errorNode(QStringLiteral("error"), {{QStringLiteral("code"), code}, {QStringLiteral("text"), text}});
    return Node(QStringLiteral("iq"),
                {{QStringLiteral("to"), Jid::serverJid()},
                 {QStringLiteral("type"), QStringLiteral("error")},
                 {QStringLiteral("id"), iqId}},
                std::vector<Node>{std::move(errorNode)});
}

} // namespace atende::server::whatsapp::adv
