#pragma once
// A QSqlDatabase connection for test code, opened on the calling thread under a unique connection name and
// removed again in the destructor (QtSql connections are per thread and must be removed explicitly,
// TOOLCHAIN.md pitfall 18). The helpers report SQL errors as gtest failures with PostgreSQL's message, so
// a test can say EXPECT_EQ(conn.scalar("SELECT count(*) FROM t").toInt(), 3).

#include "server/db/db_config.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariant>

namespace atende::test {

class TestConnection {
public:
    explicit TestConnection(const server::db::DbConfig &config);
    ~TestConnection();

    TestConnection(const TestConnection &) = delete;
    TestConnection &operator=(const TestConnection &) = delete;

    bool isOpen() const { return m_db.isOpen(); }
    // Why open failed (empty when it did not).
    QString openError() const { return m_openError; }
    QSqlDatabase &db() { return m_db; }

    // Runs SQL (several statements allowed when it has no parameters); ADD_FAILURE and false on error.
    bool exec(const QString &sql);
    // First column of the first row; ADD_FAILURE and an invalid QVariant on error or when there is no row.
    QVariant scalar(const QString &sql);

private:
    QString m_name;
    QSqlDatabase m_db;
    QString m_openError;
};

} // namespace atende::test
