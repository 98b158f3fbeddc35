#include "server/signal/lsc_util.h"

#include "server/signal/error_codes.h"

#include <signal/curve.h>

namespace atende::server::signal::lsc {

namespace {
constexpr quint8 kDjbKeyType = 0x05; // curve25519 key type byte (libsignal keeps DJB_TYPE private)
} // namespace

core::Error error(int rc, const char *what, bool group)
{
    const QString message = QString::fromLatin1(what) + QStringLiteral(" (libsignal %1)").arg(rc);
    const char *code = errc::kInternal;
    switch (rc) {
    case SG_ERR_DUPLICATE_MESSAGE: code = errc::kDuplicateMessage; break;
    case SG_ERR_INVALID_KEY: code = errc::kInvalidKey; break;
    case SG_ERR_INVALID_KEY_ID: code = group ? errc::kNoSenderKey : errc::kInvalidPreKeyId; break;
    case SG_ERR_INVALID_MAC: code = errc::kBadMac; break;
    case SG_ERR_INVALID_MESSAGE:
    case SG_ERR_INVALID_PROTO_BUF:
    case SG_ERR_INVAL:
    case SG_ERR_VRF_SIG_VERIF_FAILED:
    case SG_ERR_STALE_KEY_EXCHANGE: code = errc::kInvalidMessage; break;
    case SG_ERR_INVALID_VERSION: code = errc::kInvalidVersion; break;
    case SG_ERR_LEGACY_MESSAGE: code = errc::kLegacyMessage; break;
    case SG_ERR_NO_SESSION: code = group ? errc::kNoSenderKey : errc::kNoSession; break;
    case SG_ERR_UNTRUSTED_IDENTITY: code = errc::kUntrustedIdentity; break;
    default: break;
    }
    return core::Error::make(code, message);
}

core::Result<Ref<ec_public_key>> decodeWireKey(QByteArrayView key, signal_context *context)
{
    if (key.size() != 32)
        return core::Error::make(errc::kInvalidKey, QStringLiteral("public key must be 32 bytes"));
    QByteArray serialized;
    serialized.reserve(33);
    serialized.append(char(kDjbKeyType));
    serialized.append(key);
    ec_public_key *decoded = nullptr;
    const int rc = curve_decode_point(&decoded, data(serialized), size_t(serialized.size()), context);
    if (rc != SG_SUCCESS)
        return error(rc, "public key rejected");
    return Ref<ec_public_key>(decoded);
}

core::Result<Ref<ec_key_pair>> decodeKeyPair(QByteArrayView privateKey, QByteArrayView publicKey,
                                             signal_context *context)
{
    auto pub = decodeWireKey(publicKey, context);
    if (!pub)
        return pub.error();
    if (privateKey.size() != 32)
        return core::Error::make(errc::kInvalidKey, QStringLiteral("private key must be 32 bytes"));
    ec_private_key *priv = nullptr;
    int rc = curve_decode_private_point(&priv, data(privateKey), 32, context);
    if (rc != SG_SUCCESS)
        return error(rc, "private key rejected");
    Ref<ec_private_key> privRef(priv);
    ec_key_pair *pair = nullptr;
    rc = ec_key_pair_create(&pair, pub->get(), privRef.get());
    if (rc != SG_SUCCESS)
        return error(rc, "key pair rejected");
    return Ref<ec_key_pair>(pair);
}

} // namespace atende::server::signal::lsc
