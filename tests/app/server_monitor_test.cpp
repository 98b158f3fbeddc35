// ServerMonitor against a real local HTTP + WebSocket responder (FakeAtendeServer).

#include "app/core/server_monitor.h"
#include "tests/app/fake_atende_server.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <vector>

using atende::app::core::ServerInfo;
using atende::app::core::ServerMonitor;
using atende::app::core::ServerMonitorOptions;
using atende::test::FakeAtendeServer;
using State = ServerMonitor::State;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {
constexpr int kWaitMs = 8'000;

ServerMonitorOptions fastOptions()
{
    ServerMonitorOptions o;
    o.pollIntervalMs = 100;
    o.requestTimeoutMs = 2'000;
    o.httpBackoff = {50, 400};
    o.webSocketBackoff = {50, 400};
    return o;
}

// A port on 127.0.0.1 where nothing listens (bound to get it, then released).
quint16 deadPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

std::string str(const QString &s)
{
    return s.toStdString();
}

// Records every state the monitor passes through.
struct StateLog {
    explicit StateLog(ServerMonitor &monitor)
    {
        QObject::connect(&monitor, &ServerMonitor::stateChanged, &monitor, [this](State s) { states.push_back(s); });
    }
    std::vector<State> states;
};
} // namespace

TEST(ServerMonitorUrls, EndpointsKeepThePathPrefixAndPickTheWebSocketScheme)
{
    const QUrl plain(QStringLiteral("http://127.0.0.1:8080"));
    EXPECT_EQ(ServerMonitor::endpointUrl(plain, QStringLiteral("healthz")),
              QUrl(QStringLiteral("http://127.0.0.1:8080/healthz")));
    EXPECT_EQ(ServerMonitor::webSocketUrl(plain), QUrl(QStringLiteral("ws://127.0.0.1:8080/api/v1/ws")));

    const QUrl proxied(QStringLiteral("https://atende.example/tenant-a?x=1#frag"));
    EXPECT_EQ(ServerMonitor::endpointUrl(proxied, QStringLiteral("api/v1/system/info")),
              QUrl(QStringLiteral("https://atende.example/tenant-a/api/v1/system/info")));
    EXPECT_EQ(ServerMonitor::webSocketUrl(QUrl(QStringLiteral("https://atende.example:8443/tenant-a/"))),
              QUrl(QStringLiteral("wss://atende.example:8443/tenant-a/api/v1/ws")));
}

TEST(ServerInfoJson, ReadsProtobufCanonicalJsonAndProtoFieldNames)
{
    const auto camel = ServerInfo::fromJson(R"({"version":"1.2.3","instanceId":"i-1",
        "startedAt":"2026-11-28T12:00:00.250Z","uptimeSeconds":"86400","schemaVersion":7})");
    ASSERT_TRUE(camel.has_value());
    EXPECT_EQ(camel->version, QStringLiteral("1.2.3"));
    EXPECT_EQ(camel->instanceId, QStringLiteral("i-1"));
    EXPECT_EQ(camel->startedAt, QDateTime(QDate(2026, 11, 28), QTime(12, 0, 0, 250), Qt::UTC));
    EXPECT_EQ(camel->uptimeSeconds, 86'400);
    EXPECT_EQ(camel->schemaVersion, 7);

    const auto snake = ServerInfo::fromJson(R"({"version":"2.0","instance_id":"x","uptime_seconds":5})");
    ASSERT_TRUE(snake.has_value());
    EXPECT_EQ(snake->instanceId, QStringLiteral("x"));
    EXPECT_EQ(snake->uptimeSeconds, 5);
    EXPECT_EQ(snake->schemaVersion, -1);

    EXPECT_FALSE(ServerInfo::fromJson("not json"));
    EXPECT_FALSE(ServerInfo::fromJson(R"(["version"])"));
    EXPECT_FALSE(ServerInfo::fromJson(R"({"version":""})"));
}

TEST(ServerMonitor, FollowsTheServerThroughConnectedDegradedUnreachableAndBack)
{
    FakeAtendeServer server;
    ASSERT_TRUE(server.listen());
    QNetworkAccessManager network;
    ServerMonitor monitor(&network, fastOptions());
    monitor.setServerUrl(server.url());
    StateLog log(monitor);
    QSignalSpy frames(&monitor, &ServerMonitor::realtimeFrameReceived);
    QSignalSpy versions(&monitor, &ServerMonitor::serverVersionChanged);

    EXPECT_EQ(monitor.state(), State::Connecting);
    monitor.start();

    // Connecting -> Connected: HTTP healthy and ready, WebSocket open, Hello received.
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Connected; }, kWaitMs))
        << "last error: " << str(monitor.lastError());
    EXPECT_THAT(log.states, ElementsAre(State::Connected));
    EXPECT_EQ(monitor.serverVersion(), QStringLiteral("9.8.7"));
    EXPECT_EQ(monitor.serverInfo().instanceId, QStringLiteral("fake-1"));
    EXPECT_EQ(monitor.serverInfo().uptimeSeconds, 42);
    EXPECT_EQ(monitor.serverInfo().schemaVersion, 3);
    EXPECT_GE(monitor.roundTripMs(), 0);
    EXPECT_LT(monitor.roundTripMs(), 2'000);
    EXPECT_TRUE(monitor.realtimeConnected());
    EXPECT_TRUE(monitor.lastError().isEmpty());
    EXPECT_FALSE(monitor.nextAttemptAt().isValid());
    if (frames.isEmpty()) {
        ASSERT_TRUE(frames.wait(kWaitMs));
    }
    EXPECT_EQ(frames.first().first().toByteArray(), QByteArrayLiteral("Hello"));
    EXPECT_EQ(versions.count(), 1);
    EXPECT_THAT(server.requestedPaths(),
                ::testing::IsSupersetOf({QStringLiteral("/healthz"), QStringLiteral("/readyz"),
                                         QStringLiteral("/api/v1/system/info"), QStringLiteral("/api/v1/ws")}));

    // /readyz answers 503 -> Degraded, with the server's reason.
    server.setReady(false, QStringLiteral("database is starting"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Degraded; }, kWaitMs));
    EXPECT_THAT(str(monitor.lastError()), HasSubstr("not ready"));
    EXPECT_THAT(str(monitor.lastError()), HasSubstr("database is starting"));
    EXPECT_TRUE(monitor.lastErrorAt().isValid());
    EXPECT_EQ(monitor.serverVersion(), QStringLiteral("9.8.7")); // still answering

    // The listener and every connection go away -> Unreachable, retry scheduled.
    server.shutdown();
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Unreachable; }, kWaitMs));
    EXPECT_THAT(str(monitor.lastError()), HasSubstr("refused"));
    EXPECT_FALSE(monitor.realtimeConnected());
    EXPECT_EQ(monitor.roundTripMs(), -1);
    EXPECT_TRUE(monitor.serverVersion().isEmpty());
    EXPECT_TRUE(monitor.nextAttemptAt().isValid());

    // It comes back (same port, ready again, a new version) -> Connected again, on its own.
    server.setReady(true);
    server.setVersion(QStringLiteral("9.8.8"));
    ASSERT_TRUE(server.listen(server.port()));
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Connected; }, kWaitMs))
        << "last error: " << str(monitor.lastError());
    EXPECT_EQ(monitor.serverVersion(), QStringLiteral("9.8.8"));
    EXPECT_TRUE(monitor.realtimeConnected());
    EXPECT_FALSE(monitor.nextAttemptAt().isValid());
    EXPECT_THAT(str(monitor.lastError()), HasSubstr("refused")) << "the last error stays as history";
    EXPECT_GE(server.webSocketsAccepted(), 2);

    // Connecting may show up after Unreachable while the new WebSocket handshake is under way.
    std::vector<State> compact;
    for (State s : log.states) {
        if (s != State::Connecting)
            compact.push_back(s);
    }
    EXPECT_THAT(compact, ElementsAre(State::Connected, State::Degraded, State::Unreachable, State::Connected));
}

TEST(ServerMonitor, UnreachableFromTheStartThenRetryNowSkipsTheBackoff)
{
    const quint16 port = deadPort();
    ASSERT_NE(port, 0);
    QNetworkAccessManager network;
    ServerMonitorOptions options = fastOptions();
    options.httpBackoff = {20'000, 60'000, 2.0, 0.0}; // far longer than this test waits
    options.webSocketBackoff = {20'000, 60'000, 2.0, 0.0};
    ServerMonitor monitor(&network, options);
    monitor.setServerUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    QSignalSpy changed(&monitor, &ServerMonitor::changed);
    monitor.start();

    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Unreachable; }, kWaitMs));
    EXPECT_FALSE(monitor.lastError().isEmpty());
    const qint64 wait = QDateTime::currentDateTimeUtc().msecsTo(monitor.nextAttemptAt());
    EXPECT_GT(wait, 15'000);
    EXPECT_LE(wait, 20'000);
    EXPECT_GE(changed.count(), 1);

    FakeAtendeServer server;
    ASSERT_TRUE(server.listen(port));
    monitor.retryNow();
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Connected; }, 5'000))
        << "last error: " << str(monitor.lastError());
}

TEST(ServerMonitor, DegradedWhenTheRealtimeChannelCannotOpen)
{
    FakeAtendeServer server;
    server.setWebSocketEnabled(false); // the upgrade gets a 404
    ASSERT_TRUE(server.listen());
    QNetworkAccessManager network;
    ServerMonitor monitor(&network, fastOptions());
    monitor.setServerUrl(server.url());
    monitor.start();

    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Degraded; }, kWaitMs));
    EXPECT_THAT(str(monitor.lastError()), HasSubstr("Real-time channel"));
    EXPECT_FALSE(monitor.realtimeConnected());
    EXPECT_EQ(monitor.serverVersion(), QStringLiteral("9.8.7"));

    // Once the server accepts WebSockets the back-off loop gets there by itself.
    server.setWebSocketEnabled(true);
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Connected; }, kWaitMs));
}

TEST(ServerMonitor, ChangingTheUrlStartsOverAndStopHalts)
{
    FakeAtendeServer first;
    FakeAtendeServer second;
    second.setVersion(QStringLiteral("2.0.0"));
    ASSERT_TRUE(first.listen());
    ASSERT_TRUE(second.listen());
    QNetworkAccessManager network;
    ServerMonitor monitor(&network, fastOptions());
    monitor.setServerUrl(first.url());
    monitor.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Connected; }, kWaitMs));

    QSignalSpy urls(&monitor, &ServerMonitor::serverUrlChanged);
    monitor.setServerUrl(second.url());
    EXPECT_EQ(urls.count(), 1);
    EXPECT_EQ(monitor.state(), State::Connecting);
    EXPECT_TRUE(monitor.serverVersion().isEmpty());
    EXPECT_TRUE(monitor.isRunning());
    ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.state() == State::Connected; }, kWaitMs));
    EXPECT_EQ(monitor.serverVersion(), QStringLiteral("2.0.0"));

    monitor.stop();
    EXPECT_FALSE(monitor.isRunning());
    EXPECT_FALSE(monitor.realtimeConnected());
    const qsizetype requestsBefore = second.requestedPaths().size();
    QTest::qWait(400);
    EXPECT_EQ(second.requestedPaths().size(), requestsBefore) << "no polling after stop()";
}
