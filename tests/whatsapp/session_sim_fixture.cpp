#include "tests/whatsapp/session_sim_fixture.h"

namespace atende::test {

using namespace server::whatsapp;
using namespace std::chrono_literals;

void SessionSimTest::SetUp()
{
    restartSimulator({});
}

void SessionSimTest::TearDown()
{
    destroySession();
    sim.reset();
}

void SessionSimTest::restartSimulator(wasim::SimulatorOptions options)
{
    destroySession();
    sim = std::make_unique<wasim::Simulator>(std::move(options));
    auto started = sim->start();
    ASSERT_TRUE(started.ok()) << started.error().message.toStdString();
}

SessionConfig SessionSimTest::config() const
{
    SessionConfig c;
    c.url = sim->wsUrl();
    c.trustRootPublicKey = sim->trustRootPublicKey();
    c.trustRootSerial = wasim::Simulator::trustRootSerial();
    c.deviceName = QStringLiteral("Atende Test");
    c.backoffInitial = 200ms;
    c.backoffMax = 2s;
    return c;
}

Session &SessionSimTest::makeSession(std::optional<Credentials> credentials, std::optional<SessionConfig> cfg)
{
    destroySession();
    session =
        std::make_unique<Session>(cfg ? *cfg : config(), credentials ? *credentials : Credentials::generate(), store);
    QObject::connect(session.get(), &Session::stateChanged, session.get(),
                     [this](SessionState state, const QString &reason) {
                         changes.append({state, reason});
                     });
    QObject::connect(session.get(), &Session::qrCodeChanged, session.get(), [this](const QString &text, qint64 ms) {
        qrTexts.append(text);
        qrValidity.append(ms);
    });
    return *session;
}

void SessionSimTest::destroySession()
{
    session.reset();
    changes.clear();
    qrTexts.clear();
    qrValidity.clear();
    QTest::qWait(10); // let queued deletions and resumptions run
}

bool SessionSimTest::waitForState(SessionState state, int timeoutMs)
{
    return QTest::qWaitFor([&] { return session && session->state() == state; }, timeoutMs);
}

bool SessionSimTest::waitForReason(const QString &reason, int timeoutMs)
{
    return QTest::qWaitFor([&] { return sawReason(reason); }, timeoutMs);
}

bool SessionSimTest::sawReason(const QString &reason) const
{
    for (const StateChange &change : changes) {
        if (change.reason == reason)
            return true;
    }
    return false;
}

QString SessionSimTest::pairNewSession()
{
    Session &s = makeSession();
    s.start();
    if (!QTest::qWaitFor([&] { return !qrTexts.isEmpty(); }, 10000)) {
        ADD_FAILURE() << "no QR code";
        return {};
    }
    auto scanned = sim->scan(qrTexts.first());
    if (!scanned.ok()) {
        ADD_FAILURE() << "scan failed: " << scanned.error().message.toStdString();
        return {};
    }
    if (!waitForState(SessionState::Connected)) {
        ADD_FAILURE() << "not connected after the scan";
        return {};
    }
    const auto jid = s.credentials().jid;
    return jid ? jid->user + u':' + QString::number(jid->device) : QString();
}

Credentials SessionSimTest::storedCredentials() const
{
    auto parsed = Credentials::parse(store.credentialBytes);
    EXPECT_TRUE(parsed.ok());
    return parsed.ok() ? *parsed : Credentials{};
}

} // namespace atende::test
