// --state-dir: a restarted simulator keeps its trust root, users and linked devices, so the device logs in
// again without pairing; without a state dir every run starts empty with new keys.
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_client.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace atende::wasim::test {
namespace {

TEST(WasimPersistence, RestartKeepsTrustRootAndLinkedDevices)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    SimulatorOptions options;
    options.stateDir = dir.path();
    const ClientKeys keys = ClientKeys::generate();
    PairResult paired;
    QByteArray root;
    {
        Simulator first(options);
        ASSERT_TRUE(first.start().ok());
        root = first.trustRootPublicKey();
        auto result = pairWithQr(first, keys, {});
        ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
        paired = *result;
    }
    Simulator second(options);
    ASSERT_TRUE(second.start().ok());
    EXPECT_EQ(second.trustRootPublicKey(), root);
    ASSERT_EQ(second.devices().size(), 1);
    TestClient client(second.wsUrl(), second.trustRootPublicKey());
    EXPECT_TRUE(login(client, keys, paired).ok());

    Simulator inMemory;
    EXPECT_NE(inMemory.trustRootPublicKey(), root);
    EXPECT_TRUE(inMemory.devices().isEmpty());
}

} // namespace
} // namespace atende::wasim::test
