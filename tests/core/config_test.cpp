#include "server/core/config.h"

#include <QTemporaryFile>

#include <gtest/gtest.h>

using atende::server::core::ServerConfig;

namespace {
QProcessEnvironment env(std::initializer_list<std::pair<const char *, const char *>> vars)
{
    QProcessEnvironment e;
    for (const auto &[k, v] : vars)
        e.insert(QLatin1String(k), QString::fromUtf8(v));
    return e;
}
} // namespace

TEST(Config, DefaultsAreSafe)
{
    auto c = ServerConfig::load({}, QProcessEnvironment());
    ASSERT_TRUE(c.ok()) << c.error().message.toStdString();
    EXPECT_EQ(c->listenAddress, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(c->port, 8080);
    EXPECT_TRUE(c->databaseUrl.isEmpty());
    EXPECT_FALSE(c->allowRemote);
    EXPECT_FALSE(c->instanceId.isEmpty());
}

TEST(Config, PrecedenceFileThenEnvThenCommandLine)
{
    QTemporaryFile f;
    ASSERT_TRUE(f.open());
    f.write("# comment\nport = 9001\ndatabase_workers = 3\nlog_level = \"debug\"\nmax_body_bytes=2048\n");
    f.flush();
    auto c = ServerConfig::load({QStringLiteral("--config=") + f.fileName(), QStringLiteral("--database-workers=7")},
                                env({{"ATENDE_PORT", "9002"}, {"ATENDE_DATABASE_WORKERS", "5"}}));
    ASSERT_TRUE(c.ok()) << c.error().message.toStdString();
    EXPECT_EQ(c->port, 9002);                        // env beats file
    EXPECT_EQ(c->databaseWorkers, 7);                // command line beats env
    EXPECT_EQ(c->logLevel, QStringLiteral("debug")); // file beats default
    EXPECT_EQ(c->maxBodyBytes, 2048);

    auto viaEnv = ServerConfig::load({}, env({{"ATENDE_CONFIG", qPrintable(f.fileName())}}));
    ASSERT_TRUE(viaEnv.ok());
    EXPECT_EQ(viaEnv->port, 9001);
}

TEST(Config, RejectsNonsense)
{
    EXPECT_FALSE(ServerConfig::load({QStringLiteral("--port=70000")}, {}).ok());
    EXPECT_FALSE(ServerConfig::load({QStringLiteral("--port=abc")}, {}).ok());
    EXPECT_FALSE(ServerConfig::load({QStringLiteral("--bogus=1")}, {}).ok());
    EXPECT_FALSE(ServerConfig::load({QStringLiteral("positional")}, {}).ok());
    EXPECT_FALSE(ServerConfig::load({QStringLiteral("--listen-address=not-an-ip")}, {}).ok());
    EXPECT_FALSE(ServerConfig::load({QStringLiteral("--tls-cert=/x.pem")}, {}).ok()); // key missing
    EXPECT_FALSE(ServerConfig::load({}, env({{"ATENDE_ALLOW_REMOTE", "maybe"}})).ok());

    QTemporaryFile f;
    ASSERT_TRUE(f.open());
    f.write("unknown_key = 1\n");
    f.flush();
    auto r = ServerConfig::load({QStringLiteral("--config=") + f.fileName()}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("unknown_key")));
}

TEST(Config, RemoteListenNeedsTlsOrExplicitOptIn)
{
    auto refused = ServerConfig::load({QStringLiteral("--listen-address=0.0.0.0")}, {});
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("without TLS")));
    EXPECT_TRUE(
        ServerConfig::load({QStringLiteral("--listen-address=0.0.0.0"), QStringLiteral("--allow-remote=true")}, {})
            .ok());
    EXPECT_TRUE(ServerConfig::load({QStringLiteral("--listen-address=::1")}, {}).ok());
}
