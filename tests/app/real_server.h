#pragma once
// A real atende-server for the console tests: started on a fresh embedded database (tests/bench's
// BenchServer), the demo tenant made with `admin demo`, a test connection created by its admin, and a
// helper that injects customer messages through connections.simulate_inbound, the way WhatsApp would.

#include "tests/bench/bench_support.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace atende::test {

struct DemoUser {
    QString email;
    QString password;
};

class RealServer {
public:
    RealServer();
    ~RealServer();

    // Empty string on success, else what went wrong.
    QString start();
    QUrl url() const;
    quint16 port() const { return m_server.port(); }
    DemoUser user(const QString &role) const { return m_users.value(role); }
    QByteArray adminToken() const { return m_adminToken; }
    QString connectionId() const { return m_connectionId; }

    // A customer message; returns the simulate_inbound answer (ticketId, messageId, contactId).
    QJsonObject customerSays(const QString &phone, const QString &name, const QString &body);
    // Any REST call as the admin.
    atende::bench::HttpReply call(const QByteArray &method, const QString &path, const QJsonObject &body = {});
    static QString binary();

private:
    atende::bench::BenchServer m_server;
    QHash<QString, DemoUser> m_users;
    QByteArray m_adminToken;
    QString m_connectionId;
};

} // namespace atende::test
