// The Session against the in-process simulated WhatsApp (tests/wasim): pairing by QR and by code, login
// with stored credentials, keepalive, and every reconnect rule of PROTOCOL.md §11.
#include "server/whatsapp/iq.h"
#include "server/whatsapp/session_reasons.h"
#include "tests/support/await.h"
#include "tests/whatsapp/session_sim_fixture.h"

#include <QElapsedTimer>

using namespace atende::server::whatsapp;
using namespace atende::test;
using namespace std::chrono_literals;

namespace {
using State = SessionState;
} // namespace

TEST_F(SessionSimTest, PairsByQrThenLogsInAfter515)
{
    const QString key = pairNewSession();
    ASSERT_FALSE(key.isEmpty());
    ASSERT_GE(qrTexts.size(), 1);
    EXPECT_TRUE(qrTexts.first().startsWith(QLatin1String("https://wa.me/settings/linked_devices#")));
    EXPECT_EQ(qrValidity.first(), 60000);

    // registering → awaiting QR → pairing (through the 515 restart) → connected
    QList<State> states;
    for (const auto &change : changes)
        states.append(change.state);
    EXPECT_EQ(states, (QList<State>{State::Connecting, State::AwaitingQr, State::Pairing, State::Connected}));
    EXPECT_EQ(changes.last().reason, QString(reason::kLoggedIn));

    // The account was stored before the reply, with JID, LID and all four ADV fields.
    const Credentials stored = storedCredentials();
    EXPECT_TRUE(stored.paired());
    EXPECT_EQ(stored.jid, session->credentials().jid);
    EXPECT_TRUE(stored.lid.has_value());
    EXPECT_EQ(stored.noiseKey.privateKey, session->credentials().noiseKey.privateKey);
    EXPECT_TRUE(sim->isConnected(key));

    // First login of a new device: 812 one-time prekeys, stored before the upload and the ids reserved.
    ASSERT_TRUE(QTest::qWaitFor([&] { return sim->device(key) && sim->device(key)->preKeys.size() == 812; }, 10000));
    EXPECT_EQ(store.preKeys.size(), 812);
    EXPECT_EQ(store.preKeys.firstKey(), 1u);
    EXPECT_EQ(store.preKeys.lastKey(), 812u);
    EXPECT_EQ(storedCredentials().nextPreKeyId, 813u);
    const auto device = sim->device(key);
    for (const auto &[id, publicKey] : device->preKeys)
        EXPECT_EQ(store.preKeys.value(id), publicKey) << id;
    const SessionHealth health = session->health();
    EXPECT_EQ(health.state, State::Connected);
    EXPECT_TRUE(health.connectedAt.isValid());
    EXPECT_TRUE(health.lastFrameAt.isValid());
}

TEST_F(SessionSimTest, RestartWithStoredCredentialsLogsInWithoutQr)
{
    const QString key = pairNewSession();
    ASSERT_FALSE(key.isEmpty());
    ASSERT_TRUE(QTest::qWaitFor([&] { return sim->device(key) && sim->device(key)->preKeys.size() == 812; }, 10000));
    const int savesBefore = store.credentialSaves;

    Session &restarted = makeSession(storedCredentials());
    restarted.start();
    ASSERT_TRUE(waitForState(State::Connected));
    EXPECT_TRUE(qrTexts.isEmpty());
    EXPECT_EQ(changes.first().reason, QString(reason::kLoggingIn));
    EXPECT_EQ(restarted.health().reconnects, 0);
    QTest::qWait(300);
    // The server still holds plenty of prekeys: nothing new is reserved or uploaded.
    EXPECT_EQ(store.preKeys.size(), 812);
    EXPECT_EQ(store.credentialSaves, savesBefore);
}

TEST_F(SessionSimTest, KeepaliveIsAnswered)
{
    SessionConfig c = config();
    c.keepaliveInterval = 150ms;
    c.keepaliveDeadline = 500ms;
    ASSERT_FALSE(pairNewSession().isEmpty());
    Session &s = makeSession(storedCredentials(), c);
    s.start();
    ASSERT_TRUE(waitForState(State::Connected));
    const QDateTime connectedAt = s.health().connectedAt;
    QTest::qWait(1500); // about ten pings
    EXPECT_EQ(s.state(), State::Connected);
    EXPECT_EQ(s.health().reconnects, 0);
    EXPECT_GT(s.health().lastFrameAt, connectedAt.addMSecs(900));
}

TEST_F(SessionSimTest, TwoMissedPingsReconnect)
{
    SessionConfig c = config();
    c.keepaliveInterval = 100ms;
    c.keepaliveDeadline = 150ms;
    const QString key = pairNewSession();
    Session &s = makeSession(storedCredentials(), c);
    s.start();
    ASSERT_TRUE(waitForState(State::Connected));
    sim->faults().replyDelayMs = 1000; // pongs now come far too late
    ASSERT_TRUE(waitForReason(QString(reason::kKeepaliveTimeout), 5000));
    sim->faults().replyDelayMs = 0;
    ASSERT_TRUE(waitForState(State::Connected, 5000)); // back-off, then a fresh connection
    EXPECT_GE(s.health().reconnects, 1);
}

TEST_F(SessionSimTest, StreamError515ReconnectsAtOnce)
{
    SessionConfig c = config();
    c.backoffInitial = 10s; // a back-off would make this test time out
    const QString key = pairNewSession();
    Session &s = makeSession(storedCredentials(), c);
    s.start();
    ASSERT_TRUE(waitForState(State::Connected));
    changes.clear();
    QElapsedTimer timer;
    timer.start();
    ASSERT_TRUE(sim->sendStreamError(key, QStringLiteral("515")).ok());
    ASSERT_TRUE(waitForReason(QString(reason::kStreamError515), 3000));
    ASSERT_TRUE(waitForState(State::Connected, 3000));
    EXPECT_LT(timer.elapsed(), 3000);
    EXPECT_EQ(s.health().reconnects, 1);
}

TEST_F(SessionSimTest, StreamError503BacksOff)
{
    SessionConfig c = config();
    c.backoffInitial = 600ms;
    const QString key = pairNewSession();
    Session &s = makeSession(storedCredentials(), c);
    s.start();
    ASSERT_TRUE(waitForState(State::Connected));
    changes.clear();
    QElapsedTimer timer;
    timer.start();
    ASSERT_TRUE(sim->sendStreamError(key, QStringLiteral("503")).ok());
    ASSERT_TRUE(waitForReason(QString(reason::kStreamError503), 3000));
    EXPECT_EQ(s.state(), State::Disconnected);
    ASSERT_TRUE(waitForState(State::Connected, 5000));
    EXPECT_GE(timer.elapsed(), 600 * 0.8 - 50);
    EXPECT_EQ(s.health().reconnects, 1);
}

TEST_F(SessionSimTest, DeviceRemovedLogsOutClearsTheStoreAndStops)
{
    const QString key = pairNewSession();
    ASSERT_FALSE(key.isEmpty());
    const QByteArray oldIdentity = session->credentials().identityKey.publicKey;
    ASSERT_TRUE(sim->sendStreamError(key, QStringLiteral("device_removed")).ok());
    ASSERT_TRUE(waitForState(State::LoggedOut));
    EXPECT_EQ(session->health().reason, QString(reason::kDeviceRemoved));
    EXPECT_TRUE(store.credentialBytes.isEmpty());
    EXPECT_TRUE(store.preKeys.isEmpty());
    EXPECT_EQ(store.clears, 1);
    EXPECT_FALSE(session->credentials().paired()); // fresh keys for the next pairing
    EXPECT_NE(session->credentials().identityKey.publicKey, oldIdentity);
    const int changesBefore = int(changes.size());
    QTest::qWait(1000);
    EXPECT_EQ(session->state(), State::LoggedOut);
    EXPECT_EQ(changes.size(), changesBefore); // no retry
}

TEST_F(SessionSimTest, ConflictReplacedDoesNotRetry)
{
    const QString key = pairNewSession();
    ASSERT_TRUE(sim->sendStreamError(key, QStringLiteral("replaced")).ok());
    ASSERT_TRUE(waitForReason(QString(reason::kReplaced)));
    EXPECT_EQ(session->state(), State::Disconnected);
    QTest::qWait(1000);
    EXPECT_EQ(session->state(), State::Disconnected);
    EXPECT_EQ(session->health().reason, QString(reason::kReplaced));
    EXPECT_FALSE(sim->isConnected(key));
    EXPECT_FALSE(store.credentialBytes.isEmpty()); // still paired
}

TEST_F(SessionSimTest, DroppedConnectionReconnects)
{
    const QString key = pairNewSession();
    changes.clear();
    ASSERT_TRUE(sim->dropConnections(key).ok());
    ASSERT_TRUE(waitForReason(QString(reason::kNetworkError)));
    ASSERT_TRUE(waitForState(State::Connected, 5000));
    EXPECT_TRUE(sim->isConnected(key));
}

TEST_F(SessionSimTest, LoginFailure405IsPermanent)
{
    const QString key = pairNewSession();
    Credentials stored = storedCredentials();
    ASSERT_TRUE(sim->failNextLogin(key, 405).ok());
    Session &s = makeSession(stored);
    s.start();
    ASSERT_TRUE(waitForState(State::Failed));
    EXPECT_EQ(s.health().reason, QStringLiteral("failure_405"));
    QTest::qWait(800);
    EXPECT_EQ(s.state(), State::Failed);
}

TEST_F(SessionSimTest, CertificateChainFromAnotherRootFails)
{
    sim->faults().chain = atende::wasim::ChainFault::WrongRoot;
    Session &s = makeSession();
    s.start();
    ASSERT_TRUE(waitForState(State::Failed));
    EXPECT_EQ(s.health().reason, QString(reason::kCertInvalid));
    EXPECT_TRUE(qrTexts.isEmpty());
    QTest::qWait(600);
    EXPECT_EQ(s.state(), State::Failed);
}

TEST_F(SessionSimTest, UnconfiguredTrustRootRefusesTheSimulator)
{
    SessionConfig c = config();
    c.trustRootPublicKey.clear(); // WhatsApp's root: the simulator's test CA is not trusted
    Session &s = makeSession(std::nullopt, c);
    s.start();
    ASSERT_TRUE(waitForState(State::Failed));
    EXPECT_EQ(s.health().reason, QString(reason::kCertInvalid));
}

TEST_F(SessionSimTest, LogoutUnlinksAndClears)
{
    const QString key = pairNewSession();
    auto status = await(session->logout());
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(session->state(), State::LoggedOut);
    EXPECT_EQ(session->health().reason, QString(reason::kLoggedOut));
    EXPECT_TRUE(store.credentialBytes.isEmpty());
    EXPECT_FALSE(sim->device(key).has_value());
}

TEST_F(SessionSimTest, QueryAndSendNeedALogin)
{
    Session &s = makeSession();
    EXPECT_FALSE(s.send(Node(QStringLiteral("presence"))).ok());
    auto result = await(s.query(makeIq(QStringLiteral("get"), QStringLiteral("w:p"), {Node(QStringLiteral("ping"))})));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, QLatin1String("wa_not_connected"));
}

TEST_F(SessionSimTest, QueryGetsTheAnswer)
{
    ASSERT_FALSE(pairNewSession().isEmpty());
    auto result = await(
        session->query(makeIq(QStringLiteral("get"), QStringLiteral("encrypt"), {Node(QStringLiteral("count"))})));
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    ASSERT_NE(result->child(u"count"), nullptr);
}

TEST_F(SessionSimTest, CompressedFramesAreDecoded)
{
    sim->faults().compressFrames = true;
    EXPECT_FALSE(pairNewSession().isEmpty());
}
