// Noise certificate chain verification (PROTOCOL.md §2.4): the vector chain, then one test per broken
// link, each rejected with its own error code. Broken chains are signed with the vectors' test CA keys.

#include "test_vectors.h"

#include "server/whatsapp/cert_chain_verifier.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/proto/wa_handshake.pb.h"

#include <gtest/gtest.h>

#include <set>

namespace atende::server::whatsapp::test {
namespace {

using Details = proto::CertChain::NoiseCertificate::Details;

constexpr qint64 kNotBefore = 1700000000;
constexpr qint64 kNotAfter = 4102444800;
constexpr qint64 kNow = 1800000000;

std::string bytes(const QByteArray &b)
{
    return b.toStdString();
}
QByteArray qbytes(const std::string &s)
{
    return QByteArray::fromStdString(s);
}

Details details(quint32 serial, quint32 issuer, const QByteArray &key)
{
    Details d;
    d.set_serial(serial);
    d.set_issuer_serial(issuer);
    d.set_key(bytes(key));
    d.set_not_before(kNotBefore);
    d.set_not_after(kNotAfter);
    return d;
}

class WaCertChain : public ::testing::Test {
protected:
    // The parts of a chain; tests break one of them and build().
    Details intermediate = details(1, 0, vectorHex({"keys", "intermediate_pub"}));
    Details leaf = details(2, 1, vectorHex({"keys", "server_static_pub"}));
    std::optional<std::string> intermediateBytes; // overrides the serialized intermediate details
    std::optional<std::string> leafBytes;
    std::optional<std::string> intermediateSignature; // overrides the signature
    std::optional<std::string> leafSignature;
    QByteArray rootPriv = vectorHex({"keys", "root_priv"});
    QByteArray intermediatePriv = vectorHex({"keys", "intermediate_priv"});
    bool withLeaf = true;
    bool withIntermediate = true;
    CurveSigner signer;

    QByteArray build()
    {
        const std::string intDetails = intermediateBytes.value_or(intermediate.SerializeAsString());
        const std::string leafDetails = leafBytes.value_or(leaf.SerializeAsString());
        proto::CertChain chain;
        if (withLeaf) {
            chain.mutable_leaf()->set_details(leafDetails);
            chain.mutable_leaf()->set_signature(
                leafSignature.value_or(bytes(signer.sign(intermediatePriv, qbytes(leafDetails)).value())));
        }
        if (withIntermediate) {
            chain.mutable_intermediate()->set_details(intDetails);
            chain.mutable_intermediate()->set_signature(
                intermediateSignature.value_or(bytes(signer.sign(rootPriv, qbytes(intDetails)).value())));
        }
        return qbytes(chain.SerializeAsString());
    }

    std::string verify(const QByteArray &chain, qint64 now = kNow,
                       QByteArray serverStatic = vectorHex({"keys", "server_static_pub"}))
    {
        CertChainVerifier verifier(vectorHex({"keys", "root_pub"}), 0, [now] { return now; });
        const core::Status s = verifier.verify(chain, serverStatic);
        return s.ok() ? std::string() : s.error().code.toStdString();
    }
    std::string verifyBuilt(qint64 now = kNow) { return verify(build(), now); }
};

TEST_F(WaCertChain, VectorChainIsByteExactAndValid)
{
    EXPECT_EQ(qbytes(intermediate.SerializeAsString()).toHex(),
              vectorHex({"cert_chain", "intermediate_details"}).toHex());
    EXPECT_EQ(qbytes(leaf.SerializeAsString()).toHex(), vectorHex({"cert_chain", "leaf_details"}).toHex());
    EXPECT_TRUE(verifyCurveSignature(vectorHex({"keys", "root_pub"}), vectorHex({"cert_chain", "intermediate_details"}),
                                     vectorHex({"cert_chain", "intermediate_signature"})));
    EXPECT_TRUE(verifyCurveSignature(vectorHex({"keys", "intermediate_pub"}), vectorHex({"cert_chain", "leaf_details"}),
                                     vectorHex({"cert_chain", "leaf_signature"})));
    intermediateSignature = bytes(vectorHex({"cert_chain", "intermediate_signature"}));
    leafSignature = bytes(vectorHex({"cert_chain", "leaf_signature"}));
    const QByteArray chain = build();
    EXPECT_EQ(chain.toHex(), vectorHex({"cert_chain", "cert_chain"}).toHex());
    EXPECT_EQ(verify(chain), std::string());
    // Validity bounds are inclusive.
    EXPECT_EQ(verify(chain, kNotBefore), std::string());
    EXPECT_EQ(verify(chain, kNotAfter), std::string());
}

TEST_F(WaCertChain, OurOwnSignaturesVerify)
{
    EXPECT_EQ(verifyBuilt(), std::string());
}

TEST_F(WaCertChain, ProductionRootRejectsTheTestChain)
{
    const core::Status s = CertChainVerifier::forWhatsApp([] {
                               return kNow;
                           }).verify(vectorHex({"cert_chain", "cert_chain"}), vectorHex({"keys", "server_static_pub"}));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, QLatin1String(errc::kCertIntermediateBadSignature));
    EXPECT_EQ(CertChainVerifier::whatsAppRootKey().toHex(),
              QByteArray("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b"));
}

TEST_F(WaCertChain, Garbage)
{
    EXPECT_EQ(verify(QByteArray::fromHex("ffffffff")), errc::kCertChainMalformed);
}

TEST_F(WaCertChain, MissingLeaf)
{
    withLeaf = false;
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafMissing);
    EXPECT_EQ(verify(QByteArray()), errc::kCertLeafMissing);
}

TEST_F(WaCertChain, MissingIntermediate)
{
    withIntermediate = false;
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateMissing);
}

TEST_F(WaCertChain, LeafWithoutSignature)
{
    proto::CertChain chain;
    chain.ParseFromString(bytes(build()));
    chain.mutable_leaf()->clear_signature();
    EXPECT_EQ(verify(qbytes(chain.SerializeAsString())), errc::kCertLeafMissing);
}

TEST_F(WaCertChain, SignatureLengths)
{
    intermediateSignature = std::string(63, 'x');
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateSignatureLength);
    intermediateSignature.reset();
    leafSignature = std::string(65, 'x');
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafSignatureLength);
}

TEST_F(WaCertChain, IntermediateSignedByAnotherRoot)
{
    rootPriv = intermediatePriv;
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateBadSignature);
}

TEST_F(WaCertChain, IntermediateSignatureTampered)
{
    QByteArray sig = signer.sign(rootPriv, qbytes(intermediate.SerializeAsString())).value();
    sig[10] = char(sig[10] ^ 0x01);
    intermediateSignature = bytes(sig);
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateBadSignature);
}

TEST_F(WaCertChain, IntermediateDetailsGarbage)
{
    intermediateBytes = std::string("\xff\xff\xff", 3); // signed by the root, but not a Details message
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateDetailsMalformed);
}

TEST_F(WaCertChain, IntermediateWrongIssuer)
{
    intermediate.set_issuer_serial(7);
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateWrongIssuer);
}

TEST_F(WaCertChain, IntermediateKeyNot32Bytes)
{
    intermediate.set_key(std::string(31, 'k'));
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateBadKey);
    intermediate.clear_key();
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateBadKey);
}

TEST_F(WaCertChain, LeafSignedByAnotherKey)
{
    intermediatePriv = rootPriv;
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafBadSignature);
}

TEST_F(WaCertChain, LeafSignatureOverOtherDetails)
{
    leafSignature = bytes(signer.sign(intermediatePriv, "other details").value());
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafBadSignature);
}

TEST_F(WaCertChain, IntermediateValidityWindow)
{
    intermediate.set_not_before(kNow + 1);
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateNotYetValid);
    intermediate.set_not_before(kNotBefore);
    intermediate.set_not_after(kNow - 1);
    EXPECT_EQ(verifyBuilt(), errc::kCertIntermediateExpired);
    // The clock decides: the vector chain is expired after 2100-01-01 and not valid before 2023-11-14.
    intermediate.set_not_after(kNotAfter);
    EXPECT_EQ(verifyBuilt(kNotAfter + 1), errc::kCertIntermediateExpired);
    EXPECT_EQ(verifyBuilt(kNotBefore - 1), errc::kCertIntermediateNotYetValid);
}

TEST_F(WaCertChain, LeafDetailsGarbage)
{
    leafBytes = std::string("\x0a\x05", 2);
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafDetailsMalformed);
}

TEST_F(WaCertChain, LeafWrongIssuer)
{
    leaf.set_issuer_serial(9);
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafWrongIssuer);
}

TEST_F(WaCertChain, LeafKeyIsNotTheServerStatic)
{
    EXPECT_EQ(verify(build(), kNow, vectorHex({"keys", "client_static_pub"})), errc::kCertLeafKeyMismatch);
    leaf.set_key(bytes(vectorHex({"keys", "server_ephemeral_pub"})));
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafKeyMismatch);
}

TEST_F(WaCertChain, LeafValidityWindow)
{
    leaf.set_not_before(kNow + 1);
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafNotYetValid);
    leaf.set_not_before(kNotBefore);
    leaf.set_not_after(kNow - 1);
    EXPECT_EQ(verifyBuilt(), errc::kCertLeafExpired);
}

TEST_F(WaCertChain, AbsentValidityFieldsMeanNoBound)
{
    intermediate.clear_not_before();
    intermediate.clear_not_after();
    leaf.clear_not_after();
    EXPECT_EQ(verifyBuilt(kNotAfter * 2), std::string());
}

TEST_F(WaCertChain, EveryFailureHasItsOwnCode)
{
    const std::set<std::string> codes = {errc::kCertChainMalformed,
                                         errc::kCertLeafMissing,
                                         errc::kCertIntermediateMissing,
                                         errc::kCertLeafSignatureLength,
                                         errc::kCertIntermediateSignatureLength,
                                         errc::kCertIntermediateBadSignature,
                                         errc::kCertIntermediateDetailsMalformed,
                                         errc::kCertIntermediateWrongIssuer,
                                         errc::kCertIntermediateBadKey,
                                         errc::kCertLeafBadSignature,
                                         errc::kCertIntermediateNotYetValid,
                                         errc::kCertIntermediateExpired,
                                         errc::kCertLeafDetailsMalformed,
                                         errc::kCertLeafWrongIssuer,
                                         errc::kCertLeafKeyMismatch,
                                         errc::kCertLeafNotYetValid,
                                         errc::kCertLeafExpired};
    EXPECT_EQ(codes.size(), 17u);
}

} // namespace
} // namespace atende::server::whatsapp::test
