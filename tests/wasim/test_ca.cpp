#include "tests/wasim/test_ca.h"

#include "server/whatsapp/proto/wa_handshake.pb.h"

namespace atende::wasim {

namespace crypto = server::whatsapp::crypto;
namespace proto = server::whatsapp::proto;
using Details = proto::CertChain::NoiseCertificate::Details;

namespace {

std::string toStd(QByteArrayView b)
{
    return std::string(b.data(), size_t(b.size()));
}

} // namespace

QString chainFaultName(ChainFault fault)
{
    switch (fault) {
    case ChainFault::None: return QStringLiteral("none");
    case ChainFault::WrongRoot: return QStringLiteral("wrong_root");
    case ChainFault::WrongLeafKey: return QStringLiteral("wrong_leaf_key");
    case ChainFault::Expired: return QStringLiteral("expired");
    case ChainFault::SerialMismatch: return QStringLiteral("serial_mismatch");
    }
    return {};
}

std::optional<ChainFault> chainFaultFromName(QStringView name)
{
    for (ChainFault f : {ChainFault::None, ChainFault::WrongRoot, ChainFault::WrongLeafKey, ChainFault::Expired,
                         ChainFault::SerialMismatch})
        if (chainFaultName(f) == name)
            return f;
    return std::nullopt;
}

crypto::KeyPair TestCa::derivedKeyPair(const QByteArray &seed, const char *label)
{
    if (seed.isEmpty())
        return crypto::generateX25519KeyPair();
    // x25519KeyPair cannot fail on 32 bytes; OpenSSL clamps the scalar itself.
    return crypto::x25519KeyPair(crypto::sha256(seed + '/' + label)).value();
}

TestCa::TestCa(const QByteArray &seed)
    : m_root(derivedKeyPair(seed, "root"))
    , m_intermediate(derivedKeyPair(seed, "intermediate"))
    , m_impostorRoot(derivedKeyPair(seed, "impostor-root"))
{}

core::Result<QByteArray> TestCa::chainFor(QByteArrayView serverStaticPublicKey, ChainFault fault, qint64 now) const
{
    Details intermediate;
    intermediate.set_serial(kIntermediateSerial);
    intermediate.set_issuer_serial(kRootSerial);
    intermediate.set_key(toStd(m_intermediate.publicKey));
    intermediate.set_not_before(kNotBefore);
    intermediate.set_not_after(kNotAfter);

    Details leaf;
    leaf.set_serial(kLeafSerial);
    leaf.set_issuer_serial(fault == ChainFault::SerialMismatch ? kLeafSerial + 5 : kIntermediateSerial);
    leaf.set_key(fault == ChainFault::WrongLeafKey ? toStd(crypto::generateX25519KeyPair().publicKey)
                                                   : toStd(serverStaticPublicKey));
    leaf.set_not_before(kNotBefore);
    leaf.set_not_after(fault == ChainFault::Expired ? quint64(std::max<qint64>(now - 3600, kNotBefore)) : kNotAfter);

    const std::string intermediateBytes = intermediate.SerializeAsString();
    const std::string leafBytes = leaf.SerializeAsString();
    const QByteArray &rootPrivate = fault == ChainFault::WrongRoot ? m_impostorRoot.privateKey : m_root.privateKey;
    auto intermediateSignature = m_signer.sign(rootPrivate, QByteArray::fromStdString(intermediateBytes));
    if (!intermediateSignature)
        return intermediateSignature.error();
    auto leafSignature = m_signer.sign(m_intermediate.privateKey, QByteArray::fromStdString(leafBytes));
    if (!leafSignature)
        return leafSignature.error();

    proto::CertChain chain;
    chain.mutable_intermediate()->set_details(intermediateBytes);
    chain.mutable_intermediate()->set_signature(toStd(*intermediateSignature));
    chain.mutable_leaf()->set_details(leafBytes);
    chain.mutable_leaf()->set_signature(toStd(*leafSignature));
    return QByteArray::fromStdString(chain.SerializeAsString());
}

} // namespace atende::wasim
