#include "tests/support/test_connection.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <gtest/gtest.h>

namespace atende::test {

TestConnection::TestConnection(const server::db::DbConfig &config)
    : m_name(QStringLiteral("atende-test-") + QUuid::createUuid().toString(QUuid::Id128))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    m_db.setHostName(config.host);
    m_db.setPort(config.port);
    m_db.setUserName(config.user);
    m_db.setPassword(config.password);
    m_db.setDatabaseName(config.database);
    QString options = QStringLiteral("connect_timeout=10");
    if (!config.options.isEmpty())
        options += QLatin1Char(';') + config.options;
    m_db.setConnectOptions(options);
    if (!m_db.open())
        m_openError = m_db.lastError().text();
}

TestConnection::~TestConnection()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

bool TestConnection::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    bool ok = q.exec(sql);
    // A multi-statement string reports a failure of a later statement only through nextResult().
    while (ok && q.nextResult()) {
    }
    ok = ok && !q.lastError().isValid();
    if (!ok)
        ADD_FAILURE() << "SQL failed: " << sql.toStdString() << "\n" << q.lastError().text().toStdString();
    return ok;
}

QVariant TestConnection::scalar(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql)) {
        ADD_FAILURE() << "SQL failed: " << sql.toStdString() << "\n" << q.lastError().text().toStdString();
        return {};
    }
    if (!q.next()) {
        ADD_FAILURE() << "SQL returned no row: " << sql.toStdString();
        return {};
    }
    return q.value(0);
}

} // namespace atende::test
