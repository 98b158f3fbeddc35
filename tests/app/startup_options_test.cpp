#include "app/core/startup_options.h"

#include <gtest/gtest.h>

using atende::app::core::StartupOptionsParser;
using atende::app::core::StartupParse;

namespace {
QStringList args(std::initializer_list<const char *> list)
{
    QStringList result{QStringLiteral("atende")};
    for (const char *a : list)
        result.append(QString::fromUtf8(a));
    return result;
}

QProcessEnvironment env(const char *serverUrl = nullptr)
{
    QProcessEnvironment e;
    if (serverUrl)
        e.insert(QStringLiteral("ATENDE_SERVER_URL"), QString::fromUtf8(serverUrl));
    return e;
}
} // namespace

TEST(StartupOptions, ServerUrlPrecedenceIsCommandLineEnvironmentSettingsDefault)
{
    auto r = StartupOptionsParser::parse(args({"--server", "https://cli.example:8443"}), env("http://env:1"),
                                         QStringLiteral("http://saved:2"));
    ASSERT_EQ(r.outcome, StartupParse::Outcome::Run) << r.text.toStdString();
    EXPECT_EQ(r.options.serverUrl, QUrl(QStringLiteral("https://cli.example:8443")));
    EXPECT_EQ(r.options.serverUrlOrigin, QStringLiteral("command line"));

    r = StartupOptionsParser::parse(args({}), env("http://env:1"), QStringLiteral("http://saved:2"));
    EXPECT_EQ(r.options.serverUrl, QUrl(QStringLiteral("http://env:1")));
    EXPECT_EQ(r.options.serverUrlOrigin, QStringLiteral("environment"));

    r = StartupOptionsParser::parse(args({}), env(), QStringLiteral("http://saved:2"));
    EXPECT_EQ(r.options.serverUrl, QUrl(QStringLiteral("http://saved:2")));

    r = StartupOptionsParser::parse(args({}), env(), QString());
    EXPECT_EQ(r.options.serverUrl, QUrl(QStringLiteral("http://127.0.0.1:8080")));
    EXPECT_EQ(r.options.serverUrlOrigin, QStringLiteral("default"));
}

TEST(StartupOptions, UrlsAreNormalizedAndValidated)
{
    EXPECT_EQ(StartupOptionsParser::normalizeServerUrl(QStringLiteral(" 10.0.0.5:8080 ")),
              QUrl(QStringLiteral("http://10.0.0.5:8080")));
    EXPECT_EQ(StartupOptionsParser::normalizeServerUrl(QStringLiteral("HTTPS://atende.example/base")),
              QUrl(QStringLiteral("https://atende.example/base")));
    EXPECT_FALSE(StartupOptionsParser::normalizeServerUrl(QStringLiteral("ftp://x")));
    EXPECT_FALSE(StartupOptionsParser::normalizeServerUrl(QStringLiteral("http://")));
    EXPECT_FALSE(StartupOptionsParser::normalizeServerUrl(QString()));

    auto r = StartupOptionsParser::parse(args({"--server=ftp://nope"}), env(), QString());
    EXPECT_EQ(r.outcome, StartupParse::Outcome::Error);
    EXPECT_TRUE(r.text.contains(QLatin1String("ftp://nope")));

    r = StartupOptionsParser::parse(args({}), env("::bad::"), QString());
    EXPECT_EQ(r.outcome, StartupParse::Outcome::Error);

    // A broken saved setting must not keep the app from starting.
    r = StartupOptionsParser::parse(args({}), env(), QStringLiteral("gopher://old"));
    ASSERT_EQ(r.outcome, StartupParse::Outcome::Run);
    EXPECT_EQ(r.options.serverUrlOrigin, QStringLiteral("default"));
}

TEST(StartupOptions, LanguageAndTheme)
{
    auto r = StartupOptionsParser::parse(args({"--lang", "pt_BR", "--theme", "Dark"}), env(), QString());
    ASSERT_EQ(r.outcome, StartupParse::Outcome::Run) << r.text.toStdString();
    EXPECT_EQ(r.options.locale.language(), QLocale::Portuguese);
    EXPECT_EQ(r.options.locale.territory(), QLocale::Brazil);
    EXPECT_EQ(r.options.theme, QStringLiteral("dark"));

    EXPECT_EQ(StartupOptionsParser::requestedLocale(args({"--lang=en"})).language(), QLocale::English);
    EXPECT_EQ(StartupOptionsParser::requestedLocale(args({"--lang", "pt_BR"})).name(), QStringLiteral("pt_BR"));
    EXPECT_EQ(StartupOptionsParser::requestedLocale(args({})), QLocale::system());

    EXPECT_EQ(StartupOptionsParser::parse(args({"--lang", "xx_nope"}), env(), QString()).outcome,
              StartupParse::Outcome::Error);
    EXPECT_EQ(StartupOptionsParser::parse(args({"--theme", "purple"}), env(), QString()).outcome,
              StartupParse::Outcome::Error);
    EXPECT_EQ(StartupOptionsParser::parse(args({"--bogus"}), env(), QString()).outcome, StartupParse::Outcome::Error);
    EXPECT_EQ(StartupOptionsParser::parse(args({"stray"}), env(), QString()).outcome, StartupParse::Outcome::Error);
}

TEST(StartupOptions, HelpMentionsTheOptions)
{
    const auto r = StartupOptionsParser::parse(args({"--help"}), env(), QString());
    ASSERT_EQ(r.outcome, StartupParse::Outcome::ShowHelp);
    EXPECT_TRUE(r.text.contains(QLatin1String("--server")));
    EXPECT_TRUE(r.text.contains(QLatin1String("--lang")));
    EXPECT_TRUE(r.text.contains(QLatin1String("ATENDE_SERVER_URL")));
}
