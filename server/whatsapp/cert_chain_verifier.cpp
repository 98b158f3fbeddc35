#include "server/whatsapp/cert_chain_verifier.h"

#include "server/whatsapp/crypto.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/proto/wa_handshake.pb.h"

#include <QDateTime>

namespace atende::server::whatsapp {

using core::Error;
using core::Status;
using Details = proto::CertChain::NoiseCertificate::Details;

namespace {

Error certError(const char *code, const char *what)
{
    return Error::make(code, QString::fromLatin1(what));
}

QByteArrayView view(const std::string &s)
{
    return QByteArrayView(s.data(), qsizetype(s.size()));
}

// An absent bound is no bound: the fields are optional in the schema and a certificate signed by the root
// without one is still signed by the root.
Status checkValidity(const Details &details, qint64 now, const char *notYetValid, const char *expired)
{
    if (details.has_not_before() && (now < 0 || quint64(now) < details.not_before()))
        return certError(notYetValid, "certificate not valid yet");
    if (details.has_not_after() && now >= 0 && quint64(now) > details.not_after())
        return certError(expired, "certificate expired");
    return {};
}

} // namespace

QByteArray CertChainVerifier::whatsAppRootKey()
{
    return QByteArray::fromHex("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b");
}

CertChainVerifier::Clock CertChainVerifier::systemClock()
{
    return [] {
        return QDateTime::currentSecsSinceEpoch();
    };
}

CertChainVerifier::CertChainVerifier(QByteArray rootKey, quint32 rootSerial, Clock clock)
    : m_rootKey(std::move(rootKey))
    , m_rootSerial(rootSerial)
    , m_clock(clock ? std::move(clock) : systemClock())
{}

CertChainVerifier CertChainVerifier::forWhatsApp(Clock clock)
{
    return CertChainVerifier(whatsAppRootKey(), kWhatsAppRootSerial, std::move(clock));
}

Status CertChainVerifier::verify(QByteArrayView certChain, QByteArrayView serverStaticKey) const
{
    proto::CertChain chain;
    if (!chain.ParseFromArray(certChain.data(), int(certChain.size())))
        return certError(errc::kCertChainMalformed, "CertChain does not parse");

    // 1. Both certificates present, each with details and a 64-byte signature.
    const auto &leaf = chain.leaf();
    const auto &intermediate = chain.intermediate();
    if (!chain.has_leaf() || !leaf.has_details() || !leaf.has_signature())
        return certError(errc::kCertLeafMissing, "leaf certificate or its details/signature missing");
    if (!chain.has_intermediate() || !intermediate.has_details() || !intermediate.has_signature())
        return certError(errc::kCertIntermediateMissing, "intermediate certificate or its details/signature missing");
    if (intermediate.signature().size() != kCurveSignatureSize)
        return certError(errc::kCertIntermediateSignatureLength, "intermediate signature is not 64 bytes");
    if (leaf.signature().size() != kCurveSignatureSize)
        return certError(errc::kCertLeafSignatureLength, "leaf signature is not 64 bytes");

    // 2. The root signed the intermediate.
    if (!verifyCurveSignature(m_rootKey, view(intermediate.details()), view(intermediate.signature())))
        return certError(errc::kCertIntermediateBadSignature, "intermediate not signed by the trust root");

    // 3. The intermediate names the root and carries a usable key.
    Details intermediateDetails;
    if (!intermediateDetails.ParseFromString(intermediate.details()))
        return certError(errc::kCertIntermediateDetailsMalformed, "intermediate details do not parse");
    if (intermediateDetails.issuer_serial() != m_rootSerial)
        return certError(errc::kCertIntermediateWrongIssuer, "intermediate issued by another root serial");
    if (intermediateDetails.key().size() != 32)
        return certError(errc::kCertIntermediateBadKey, "intermediate key is not 32 bytes");

    // 4. The intermediate signed the leaf.
    if (!verifyCurveSignature(view(intermediateDetails.key()), view(leaf.details()), view(leaf.signature())))
        return certError(errc::kCertLeafBadSignature, "leaf not signed by the intermediate");

    // 5. The intermediate is within its validity window.
    const qint64 now = m_clock();
    if (Status s =
            checkValidity(intermediateDetails, now, errc::kCertIntermediateNotYetValid, errc::kCertIntermediateExpired);
        !s)
        return s;

    // 6. The leaf hangs off this intermediate, certifies the key we talk to and is valid now.
    Details leafDetails;
    if (!leafDetails.ParseFromString(leaf.details()))
        return certError(errc::kCertLeafDetailsMalformed, "leaf details do not parse");
    if (leafDetails.issuer_serial() != intermediateDetails.serial())
        return certError(errc::kCertLeafWrongIssuer, "leaf issuer serial does not match the intermediate");
    if (!crypto::constantTimeEquals(view(leafDetails.key()), serverStaticKey))
        return certError(errc::kCertLeafKeyMismatch, "leaf key is not the server's Noise static key");
    return checkValidity(leafDetails, now, errc::kCertLeafNotYetValid, errc::kCertLeafExpired);
}

} // namespace atende::server::whatsapp
