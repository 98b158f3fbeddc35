// MainWindow offscreen: the texts of every connection state, the retry button, theme, language,
// and the window bound to a live ServerMonitor.

#include "app/connection_bridge.h"
#include "app/core/localization.h"
#include "app/core/server_monitor.h"
#include "app/ui/main_window.h"
#include "app/ui/status_dot.h"
#include "app/ui/theme.h"
#include "tests/app/fake_atende_server.h"

#include <QApplication>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace atende::app;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {
const QUrl kUrl(QStringLiteral("http://127.0.0.1:8080"));

std::string text(const ui::MainWindow &window, const char *objectName)
{
    const auto *label = window.findChild<QLabel *>(QLatin1String(objectName));
    return label ? label->text().toStdString() : std::string("<no label ") + objectName + ">";
}

QPushButton *retryButton(const ui::MainWindow &window)
{
    return window.findChild<QPushButton *>(QStringLiteral("retryButton"));
}

ui::ConnectionStatus status(ui::ConnectionState state)
{
    ui::ConnectionStatus s;
    s.state = state;
    s.serverUrl = kUrl;
    return s;
}

// The app always installs a catalogue; English is one too (it spells out the plural forms).
class MainWindowTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(m_localization.install(QLocale(QStringLiteral("en")))); }
    void TearDown() override
    {
        m_localization.uninstall();
        QLocale::setDefault(QLocale::system());
    }
    core::Localization m_localization;
};
} // namespace

TEST_F(MainWindowTest, ConnectingState)
{
    ui::MainWindow window;
    window.setConnectionStatus(status(ui::ConnectionState::Connecting));
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Connecting");
    EXPECT_EQ(text(window, "connectionSubtitleLabel"), "Connecting to http://127.0.0.1:8080…");
    EXPECT_EQ(text(window, "serverVersionValue"), "—");
    EXPECT_EQ(text(window, "latencyValue"), "—");
    EXPECT_EQ(text(window, "lastErrorValue"), "None");
    EXPECT_EQ(text(window, "statusConnectionLabel"), "Connecting");
    EXPECT_EQ(text(window, "headerServerLabel"), "127.0.0.1:8080");
    EXPECT_TRUE(retryButton(window)->isHidden());
}

TEST_F(MainWindowTest, ConnectedState)
{
    ui::MainWindow window;
    auto s = status(ui::ConnectionState::Connected);
    s.serverVersion = QStringLiteral("1.2.3");
    s.roundTripMs = 12;
    s.realtimeConnected = true;
    window.setConnectionStatus(s);
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Connected");
    EXPECT_EQ(text(window, "connectionSubtitleLabel"), "Connected to http://127.0.0.1:8080");
    EXPECT_EQ(text(window, "serverVersionValue"), "1.2.3");
    EXPECT_EQ(text(window, "latencyValue"), "12 ms");
    EXPECT_EQ(text(window, "realtimeValue"), "Open");
    EXPECT_EQ(text(window, "lastErrorValue"), "None");
    EXPECT_EQ(text(window, "statusConnectionLabel"), "Connected · 12 ms");
    EXPECT_TRUE(retryButton(window)->isHidden());
    const auto *dot = window.findChild<ui::StatusDot *>(QStringLiteral("connectionStateDot"));
    ASSERT_NE(dot, nullptr);
    EXPECT_EQ(dot->color(), window.theme().connected);
}

TEST_F(MainWindowTest, DegradedStateShowsTheReasonAndItsTime)
{
    ui::MainWindow window;
    auto s = status(ui::ConnectionState::Degraded);
    s.serverVersion = QStringLiteral("1.2.3");
    s.roundTripMs = 3;
    s.lastError = QStringLiteral("database is starting");
    s.lastErrorAt = QDateTime(QDate::currentDate(), QTime(14, 2, 11));
    window.setConnectionStatus(s);
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Limited service");
    EXPECT_EQ(text(window, "connectionSubtitleLabel"),
              "Connected to http://127.0.0.1:8080, but the server is not fully working.");
    EXPECT_EQ(text(window, "lastErrorValue"), "database is starting");
    EXPECT_EQ(text(window, "lastErrorTimeValue"), "at 14:02:11");
    EXPECT_EQ(text(window, "realtimeValue"), "Reconnecting…");
    EXPECT_FALSE(retryButton(window)->isHidden());
    EXPECT_EQ(window.findChild<ui::StatusDot *>(QStringLiteral("connectionStateDot"))->color(),
              window.theme().degraded);
}

TEST_F(MainWindowTest, UnreachableStateCountsDownAndOffersRetry)
{
    ui::MainWindow window;
    auto s = status(ui::ConnectionState::Unreachable);
    s.serverUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    s.lastError = QStringLiteral("Connection refused: is the server running?");
    s.lastErrorAt = QDateTime::currentDateTime();
    s.nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(4'500);
    window.setConnectionStatus(s);
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Server unreachable");
    EXPECT_EQ(text(window, "connectionSubtitleLabel"), "Cannot reach http://127.0.0.1:9.");
    EXPECT_EQ(text(window, "serverVersionValue"), "—");
    EXPECT_EQ(text(window, "latencyValue"), "—");
    EXPECT_EQ(text(window, "realtimeValue"), "Waiting for the server");
    EXPECT_EQ(text(window, "lastErrorValue"), "Connection refused: is the server running?");
    EXPECT_THAT(text(window, "lastErrorTimeValue"), StartsWith("at "));
    EXPECT_EQ(text(window, "retryLabel"), "Trying again in 5 seconds.");
    EXPECT_EQ(text(window, "statusConnectionLabel"), "Server unreachable");
    EXPECT_EQ(text(window, "headerServerLabel"), "127.0.0.1:9");

    QPushButton *retry = retryButton(window);
    ASSERT_NE(retry, nullptr);
    EXPECT_FALSE(retry->isHidden());
    QSignalSpy retries(&window, &ui::MainWindow::retryRequested);
    retry->click();
    EXPECT_EQ(retries.count(), 1);

    // The countdown ticks by itself.
    ASSERT_TRUE(QTest::qWaitFor([&] { return text(window, "retryLabel") == "Trying again in 4 seconds."; }, 3'000));
}

TEST_F(MainWindowTest, ThemeFollowsTheRequestedMode)
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    EXPECT_TRUE(ui::Theme::isDarkPalette(dark));
    EXPECT_FALSE(ui::Theme::isDarkPalette(light));
    EXPECT_TRUE(ui::Theme::resolve(ui::ThemeMode::System, dark).dark);
    EXPECT_FALSE(ui::Theme::resolve(ui::ThemeMode::System, light).dark);
    EXPECT_EQ(ui::Theme::modeFromName(QStringLiteral("DARK")), ui::ThemeMode::Dark);
    EXPECT_EQ(ui::Theme::modeFromName(QStringLiteral("whatever")), ui::ThemeMode::System);

    ui::MainWindow window;
    window.setConnectionStatus(status(ui::ConnectionState::Connected));
    window.setThemeMode(ui::ThemeMode::Dark);
    EXPECT_TRUE(window.theme().dark);
    EXPECT_EQ(window.palette().color(QPalette::Window), ui::Theme::darkTheme().window);
    EXPECT_EQ(window.findChild<ui::StatusDot *>(QStringLiteral("connectionStateDot"))->color(),
              ui::Theme::darkTheme().connected);
    window.setThemeMode(ui::ThemeMode::Light);
    EXPECT_FALSE(window.theme().dark);
    EXPECT_THAT(window.styleSheet().toStdString(), HasSubstr("#connectionCard"));
}

TEST_F(MainWindowTest, SpeaksPortugueseAndSwitchesLanguageLive)
{
    ui::MainWindow window;
    auto s = status(ui::ConnectionState::Connected);
    s.roundTripMs = 7;
    s.realtimeConnected = true;
    window.setConnectionStatus(s);
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Connected");

    ASSERT_TRUE(m_localization.install(QLocale(QStringLiteral("pt_BR"))));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Conectado");
    EXPECT_EQ(text(window, "connectionSubtitleLabel"), "Conectado a http://127.0.0.1:8080");
    EXPECT_EQ(text(window, "realtimeValue"), "Aberto");
    EXPECT_EQ(text(window, "lastErrorValue"), "Nenhum");
    EXPECT_EQ(text(window, "statusConnectionLabel"), "Conectado · 7 ms");

    ui::MainWindow fresh; // built while Portuguese is installed
    fresh.setConnectionStatus(status(ui::ConnectionState::Unreachable));
    EXPECT_EQ(text(fresh, "connectionTitleLabel"), "Servidor inacessível");
    EXPECT_EQ(retryButton(fresh)->text().toStdString(), "Tentar agora");

    ASSERT_TRUE(m_localization.install(QLocale(QStringLiteral("en"))));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Connected");
}

TEST_F(MainWindowTest, BoundToALiveMonitorShowsTheServer)
{
    atende::test::FakeAtendeServer server;
    ASSERT_TRUE(server.listen());
    QNetworkAccessManager network;
    core::ServerMonitorOptions options;
    options.pollIntervalMs = 100;
    options.httpBackoff = {50, 400};
    options.webSocketBackoff = {50, 400};
    core::ServerMonitor monitor(&network, options);
    monitor.setServerUrl(server.url());
    ui::MainWindow window;
    bindConnectionStatus(&monitor, &window);
    EXPECT_EQ(text(window, "connectionTitleLabel"), "Connecting");

    monitor.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return text(window, "connectionTitleLabel") == "Connected"; }, 8'000));
    EXPECT_EQ(text(window, "connectionSubtitleLabel"), "Connected to " + server.url().toString().toStdString());
    EXPECT_EQ(text(window, "serverVersionValue"), "9.8.7");
    EXPECT_THAT(text(window, "latencyValue"), ::testing::EndsWith(" ms"));

    server.shutdown();
    ASSERT_TRUE(QTest::qWaitFor([&] { return text(window, "connectionTitleLabel") == "Server unreachable"; }, 8'000));

    // "Try now" reaches the monitor.
    ASSERT_TRUE(server.listen(server.port()));
    retryButton(window)->click();
    ASSERT_TRUE(QTest::qWaitFor([&] { return text(window, "connectionTitleLabel") == "Connected"; }, 8'000));
}
