// Pairing edge cases of the Session against the simulated WhatsApp: QR rotation running out, linking by
// phone-number code, and pair-success replies the session must refuse or cannot store (PROTOCOL.md §5).
#include "server/whatsapp/session_reasons.h"
#include "tests/support/await.h"
#include "tests/whatsapp/session_sim_fixture.h"

using namespace atende::server::whatsapp;
using namespace atende::test;
using namespace std::chrono_literals;

namespace {
using State = SessionState;
} // namespace

TEST_F(SessionSimTest, QrRefsExhaustedStops)
{
    atende::wasim::SimulatorOptions options;
    options.pairRefs = 3;
    restartSimulator(options);
    SessionConfig c = config();
    c.qrFirstRefValidity = 300ms;
    c.qrNextRefValidity = 100ms;
    Session &s = makeSession(std::nullopt, c);
    s.start();
    ASSERT_TRUE(waitForReason(QString(reason::kQrRefsExhausted), 5000));
    EXPECT_EQ(s.state(), State::Disconnected);
    EXPECT_EQ(qrTexts.size(), 3);
    EXPECT_EQ(qrValidity, (QList<qint64>{300, 100, 100}));
    EXPECT_EQ(QSet<QString>(qrTexts.begin(), qrTexts.end()).size(), 3);
    QTest::qWait(800);
    EXPECT_EQ(s.state(), State::Disconnected);
    EXPECT_EQ(qrTexts.size(), 3);
    // start() again registers anew.
    s.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return qrTexts.size() >= 4; }, 5000));
}

TEST_F(SessionSimTest, PairsByCode)
{
    Session &s = makeSession();
    QString code;
    QObject::connect(&s, &Session::pairingCodeReady, &s, [&](const QString &c) { code = c; });
    s.start();
    ASSERT_TRUE(waitForState(State::AwaitingQr));
    auto requested = await(s.requestPairingCode(QStringLiteral("+1 555 000 0042")));
    ASSERT_TRUE(requested.ok()) << requested.error().message.toStdString();
    ASSERT_EQ(code.size(), 9);
    EXPECT_EQ(code.at(4), QLatin1Char('-'));
    auto entered = sim->enterPairingCode(QStringLiteral("15550000042"), code);
    ASSERT_TRUE(entered.ok()) << entered.error().message.toStdString();
    ASSERT_TRUE(waitForState(State::Connected));
    EXPECT_EQ(s.credentials().jid->user, QStringLiteral("15550000042"));
}

TEST_F(SessionSimTest, PairSuccessWithBadHmacIsRefused)
{
    Session &s = makeSession();
    QStringList failures;
    QObject::connect(sim.get(), &atende::wasim::Simulator::pairingFailed, &s,
                     [&](const QString &why) { failures.append(why); });
    s.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !qrTexts.isEmpty(); }, 10000));
    atende::wasim::ScanOptions options;
    options.badHmac = true;
    ASSERT_TRUE(sim->scan(qrTexts.first(), options).ok());
    ASSERT_TRUE(waitForState(State::Failed));
    EXPECT_EQ(s.health().reason, QString(reason::kPairingRejected));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !failures.isEmpty(); }, 3000));
    EXPECT_EQ(failures.first(), QStringLiteral("client_error 401 hmac-mismatch"));
    EXPECT_TRUE(store.credentialBytes.isEmpty()); // nothing stored for a refused pairing
    EXPECT_FALSE(s.credentials().paired());
}

TEST_F(SessionSimTest, PairSuccessWithBadAccountSignatureIsRefused)
{
    Session &s = makeSession();
    QStringList failures;
    QObject::connect(sim.get(), &atende::wasim::Simulator::pairingFailed, &s,
                     [&](const QString &why) { failures.append(why); });
    s.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !qrTexts.isEmpty(); }, 10000));
    atende::wasim::ScanOptions options;
    options.badAccountSignature = true;
    ASSERT_TRUE(sim->scan(qrTexts.first(), options).ok());
    ASSERT_TRUE(waitForState(State::Failed));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !failures.isEmpty(); }, 3000));
    EXPECT_EQ(failures.first(), QStringLiteral("client_error 401 signature-mismatch"));
}

TEST_F(SessionSimTest, PairingIsNotAcknowledgedWhenTheStoreFails)
{
    Session &s = makeSession();
    QStringList failures;
    QObject::connect(sim.get(), &atende::wasim::Simulator::pairingFailed, &s,
                     [&](const QString &why) { failures.append(why); });
    store.failSaves = true;
    s.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !qrTexts.isEmpty(); }, 10000));
    ASSERT_TRUE(sim->scan(qrTexts.first()).ok());
    ASSERT_TRUE(waitForReason(QString(reason::kStoreFailed)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !failures.isEmpty(); }, 3000));
    EXPECT_EQ(failures.first(), QStringLiteral("client_error 500 internal-error"));
    EXPECT_TRUE(sim->devices().isEmpty()); // the phone never saw the device as linked
    EXPECT_FALSE(s.credentials().paired());
    // A store failure is transient: the session registers again and shows new codes.
    store.failSaves = false;
    ASSERT_TRUE(QTest::qWaitFor([&] { return qrTexts.size() >= 2; }, 10000));
    s.stop();
}
