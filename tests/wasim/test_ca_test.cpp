// The simulator's CA (PROTOCOL.md §2.4, §12.1 item 2): its good chain passes CertChainVerifier, each broken
// chain switch is rejected with the code of the check it breaks, both offline and over a real handshake.
#include "server/whatsapp/cert_chain_verifier.h"
#include "server/whatsapp/error_codes.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_ca.h"
#include "tests/wasim/test_client.h"

#include <QJsonObject>
#include <gtest/gtest.h>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;

constexpr qint64 kNow = 1800000000;

struct Case {
    ChainFault fault;
    const char *code; // nullptr = valid
};

const Case kCases[] = {
    {ChainFault::None, nullptr},
    {ChainFault::WrongRoot, errc::kCertIntermediateBadSignature},
    {ChainFault::WrongLeafKey, errc::kCertLeafKeyMismatch},
    {ChainFault::Expired, errc::kCertLeafExpired},
    {ChainFault::SerialMismatch, errc::kCertLeafWrongIssuer},
};

TEST(WasimCa, EveryChainSwitchIsRejectedWithItsCode)
{
    TestCa ca;
    const QByteArray serverStatic = crypto::generateX25519KeyPair().publicKey;
    CertChainVerifier verifier(ca.rootPublicKey(), TestCa::kRootSerial, [] { return kNow; });
    for (const Case &c : kCases) {
        SCOPED_TRACE(chainFaultName(c.fault).toStdString());
        auto chain = ca.chainFor(serverStatic, c.fault, kNow);
        ASSERT_TRUE(chain.ok());
        core::Status s = verifier.verify(*chain, serverStatic);
        if (!c.code)
            EXPECT_TRUE(s.ok()) << s.error().code.toStdString();
        else
            EXPECT_EQ(s.ok() ? std::string("ok") : s.error().code.toStdString(), c.code);
    }
}

TEST(WasimCa, SeededCaIsReproducibleAndRandomCaIsNot)
{
    EXPECT_EQ(TestCa("seed-1").rootPublicKey(), TestCa("seed-1").rootPublicKey());
    EXPECT_NE(TestCa("seed-1").rootPublicKey(), TestCa("seed-2").rootPublicKey());
    EXPECT_NE(TestCa().rootPublicKey(), TestCa().rootPublicKey());
    // The production root never verifies a test chain.
    TestCa ca("seed-1");
    const QByteArray serverStatic = crypto::generateX25519KeyPair().publicKey;
    EXPECT_FALSE(CertChainVerifier::forWhatsApp([] { return kNow; })
                     .verify(ca.chainFor(serverStatic, ChainFault::None, kNow).value(), serverStatic)
                     .ok());
}

TEST(WasimCa, HandshakeWithABrokenChainFailsOnTheClient)
{
    Simulator sim;
    ASSERT_TRUE(sim.start().ok());
    for (const Case &c : kCases) {
        SCOPED_TRACE(chainFaultName(c.fault).toStdString());
        ASSERT_TRUE(sim.setFaults({{QStringLiteral("chain"), chainFaultName(c.fault)}}).ok());
        const ClientKeys keys = ClientKeys::generate();
        TestClient client(sim.wsUrl(), sim.trustRootPublicKey());
        core::Status s = client.connectWith(keys, registrationPayload(keys));
        if (!c.code)
            EXPECT_TRUE(s.ok()) << s.error().code.toStdString();
        else
            EXPECT_EQ(s.ok() ? std::string("ok") : s.error().code.toStdString(), c.code);
    }
}

} // namespace
} // namespace atende::wasim::test
