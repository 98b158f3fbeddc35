#include "server/whatsapp/credentials.h"

#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/proto/wa_credentials.pb.h"

#include <openssl/rand.h>

namespace atende::server::whatsapp {

namespace {

constexpr quint32 kFormatVersion = 1;
constexpr quint32 kMaxRegistrationId = 16380;
constexpr quint32 kMaxPreKeyId = 0xFFFFFF; // 24-bit on the wire

QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

std::string stringOf(QByteArrayView b)
{
    return std::string(b.data(), size_t(b.size()));
}

void store(proto::StoredKeyPair *out, const crypto::KeyPair &pair)
{
    out->set_private_key(stringOf(pair.privateKey));
    out->set_public_key(stringOf(pair.publicKey));
}

core::Error malformed(const QString &why)
{
    return core::Error::make(errc::kCredentialsMalformed, why);
}

// A stored pair is only accepted when the public half belongs to the private half: a corrupted public key
// would otherwise be sent to WhatsApp and fail much later, far from the cause.
core::Result<crypto::KeyPair> load(const proto::StoredKeyPair &in, const QString &name)
{
    const QByteArray privateKey = bytesOf(in.private_key());
    const QByteArray publicKey = bytesOf(in.public_key());
    if (privateKey.size() != crypto::kKeySize || publicKey.size() != crypto::kKeySize)
        return malformed(QStringLiteral("%1 has a bad size").arg(name));
    auto derived = crypto::x25519PublicKey(privateKey);
    if (!derived || !crypto::constantTimeEquals(*derived, publicKey))
        return malformed(QStringLiteral("%1: public key does not match the private key").arg(name));
    return crypto::KeyPair{privateKey, publicKey};
}

// Like libsignal's key helper without the extended range: 1..16380 (PROTOCOL.md §3.3).
quint32 randomRegistrationId()
{
    quint32 value = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char *>(&value), sizeof value) != 1)
        qFatal("RAND_bytes failed");
    return value % kMaxRegistrationId + 1;
}

} // namespace

Credentials Credentials::generate()
{
    Credentials c;
    c.noiseKey = crypto::generateX25519KeyPair();
    c.identityKey = crypto::generateX25519KeyPair();
    c.registrationId = randomRegistrationId();
    c.signedPreKey.id = 1;
    c.signedPreKey.keyPair = crypto::generateX25519KeyPair();
    QByteArray signedMessage(1, char(0x05)); // DJB key type, as the server re-serializes the key (§3.3)
    signedMessage.append(c.signedPreKey.keyPair.publicKey);
    const CurveSigner signer; // short-lived: no libsignal context is kept per account
    auto signature = signer.sign(c.identityKey.privateKey, signedMessage);
    if (!signature)
        qFatal("signing the signed prekey failed");
    c.signedPreKey.signature = *signature;
    c.advSecret = crypto::randomBytes(32);
    c.nextPreKeyId = 1;
    return c;
}

QByteArray Credentials::serialize() const
{
    proto::StoredCredentials out;
    out.set_version(kFormatVersion);
    store(out.mutable_noise_key(), noiseKey);
    store(out.mutable_identity_key(), identityKey);
    out.set_registration_id(registrationId);
    out.set_signed_pre_key_id(signedPreKey.id);
    store(out.mutable_signed_pre_key(), signedPreKey.keyPair);
    out.set_signed_pre_key_signature(stringOf(signedPreKey.signature));
    out.set_adv_secret(stringOf(advSecret));
    out.set_next_pre_key_id(nextPreKeyId);
    if (jid)
        out.set_jid(jid->toString().toStdString());
    if (lid)
        out.set_lid(lid->toString().toStdString());
    if (!account.isEmpty())
        out.set_account(stringOf(account));
    if (!platform.isEmpty())
        out.set_platform(platform.toStdString());
    if (!businessName.isEmpty())
        out.set_business_name(businessName.toStdString());
    if (!pushName.isEmpty())
        out.set_push_name(pushName.toStdString());
    return bytesOf(out.SerializeAsString());
}

core::Result<Credentials> Credentials::parse(QByteArrayView bytes)
{
    proto::StoredCredentials in;
    if (!in.ParseFromArray(bytes.data(), int(bytes.size())))
        return malformed(QStringLiteral("not a credentials record"));
    if (!in.has_version())
        return malformed(QStringLiteral("no format version"));
    if (in.version() != kFormatVersion)
        return malformed(QStringLiteral("unsupported format version %1").arg(in.version()));
    if (!in.has_noise_key() || !in.has_identity_key() || !in.has_signed_pre_key())
        return malformed(QStringLiteral("a key pair is missing"));

    Credentials c;
    auto noise = load(in.noise_key(), QStringLiteral("noise key"));
    if (!noise)
        return noise.error();
    auto identity = load(in.identity_key(), QStringLiteral("identity key"));
    if (!identity)
        return identity.error();
    auto signedPre = load(in.signed_pre_key(), QStringLiteral("signed prekey"));
    if (!signedPre)
        return signedPre.error();
    c.noiseKey = *noise;
    c.identityKey = *identity;
    c.signedPreKey.keyPair = *signedPre;

    c.registrationId = in.registration_id();
    if (c.registrationId < 1 || c.registrationId > kMaxRegistrationId)
        return malformed(QStringLiteral("registration id out of range"));
    c.signedPreKey.id = in.signed_pre_key_id();
    if (c.signedPreKey.id < 1 || c.signedPreKey.id > kMaxPreKeyId)
        return malformed(QStringLiteral("signed prekey id out of range"));
    c.signedPreKey.signature = bytesOf(in.signed_pre_key_signature());
    if (c.signedPreKey.signature.size() != kCurveSignatureSize)
        return malformed(QStringLiteral("signed prekey signature has a bad size"));
    c.advSecret = bytesOf(in.adv_secret());
    if (c.advSecret.size() != 32)
        return malformed(QStringLiteral("adv secret has a bad size"));
    c.nextPreKeyId = in.next_pre_key_id();
    if (c.nextPreKeyId < 1 || c.nextPreKeyId > kMaxPreKeyId + 1)
        return malformed(QStringLiteral("next prekey id out of range"));

    if (in.has_jid()) {
        c.jid = Jid::parse(QString::fromStdString(in.jid()));
        if (!c.jid || c.jid->user.isEmpty())
            return malformed(QStringLiteral("own JID does not parse"));
    }
    if (in.has_lid()) {
        c.lid = Jid::parse(QString::fromStdString(in.lid()));
        if (!c.lid)
            return malformed(QStringLiteral("own LID does not parse"));
    }
    c.account = bytesOf(in.account());
    if (c.jid.has_value() != !c.account.isEmpty())
        return malformed(QStringLiteral("paired state is incomplete"));
    c.platform = QString::fromStdString(in.platform());
    c.businessName = QString::fromStdString(in.business_name());
    c.pushName = QString::fromStdString(in.push_name());
    return c;
}

} // namespace atende::server::whatsapp
