// openConfiguredDatabase against a real embedded cluster: a second process opening the same data_dir (the
// server after `atende-server admin demo`, or a second admin command) must leave the running cluster able
// to work. As root, re-tightening data_dir to 0700 once took away the cluster user's g+x and the next
// checkpoint PANICked ("could not open file .../global/pg_control: Permission denied").

#include "server/core/configured_database.h"
#include "tests/support/postgres_dir.h"
#include "tests/support/test_connection.h"

#include <QFile>
#include <gtest/gtest.h>

using atende::server::core::ConfiguredDatabase;
using atende::server::core::openConfiguredDatabase;
using atende::server::core::ServerConfig;
using atende::test::PostgresDir;
using atende::test::TestConnection;

TEST(ConfiguredDatabase, ReopeningTheDataDirKeepsTheRunningClusterWorking)
{
    PostgresDir dir;
    ASSERT_TRUE(dir.isValid()) << qPrintable(dir.errorString());
    ServerConfig config;
    config.dataDir = dir.path();
    config.postgresBinDir = dir.options().binDir;

    auto first = openConfiguredDatabase(config);
    ASSERT_TRUE(first.ok()) << qPrintable(first.error().message);
    ASSERT_TRUE(first.value().startedHere);
    const QFileDevice::Permissions before = QFile::permissions(config.dataDir);

    auto second = openConfiguredDatabase(config); // adopts the running cluster
    ASSERT_TRUE(second.ok()) << qPrintable(second.error().message);
    EXPECT_FALSE(second.value().startedHere);
    EXPECT_EQ(QFile::permissions(config.dataDir), before);
    EXPECT_FALSE(QFile::permissions(config.dataDir) & (QFileDevice::ReadOther | QFileDevice::WriteOther));

    {
        TestConnection conn(first.value().embedded->superuserConfig());
        ASSERT_TRUE(conn.isOpen()) << qPrintable(conn.openError());
        EXPECT_TRUE(conn.exec(QStringLiteral("CHECKPOINT")));
        EXPECT_EQ(conn.scalar(QStringLiteral("SELECT 1")).toInt(), 1);
    }
    EXPECT_TRUE(first.value().embedded->stop().ok());
}
