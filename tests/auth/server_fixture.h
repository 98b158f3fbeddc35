#pragma once
// An in-process atende-server on a throwaway database with two tenants ("acme" and "globex"), each with an
// admin, a supervisor and an agent. Gives REST calls with a bearer token, login, and a WebSocket client.
// Used by the authorization, hostile-input and isolation tests.

#include "http_test_client.h"

#include "server/core/server_application.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QUuid>
#include <QWebSocket>

#include <memory>

namespace atende::test {

struct SeedUser {
    QUuid id;
    QString email;
    QString password;
    QString role;
};

struct SeedTenant {
    QUuid id;
    QString slug;
    QString name;
    QHash<QString, SeedUser> users; // by role
};

class ServerFixture {
public:
    // extraArgs: more --key=value options (rate limits, ...).
    bool start(const QString &name, const QStringList &extraArgs = {});
    // A second server instance on the database of `first` (its tenants, no seeding). Both need the same
    // master key: pass the same --master-key=... in extraArgs of both.
    bool startPeer(const ServerFixture &first, const QString &name, const QStringList &extraArgs = {});
    void stop();
    ~ServerFixture() { stop(); }

    server::core::ServerApplication &server() { return *m_server; }
    quint16 port() const { return m_port; }
    SeedTenant tenant(const QString &slug) const { return m_tenants.value(slug); }

    TestResponse call(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                      const QByteArray &bearer = {}, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    TestResponse callJson(const QByteArray &method, const QByteArray &path, const QJsonObject &body,
                          const QByteArray &bearer = {});
    // Access token of the tenant's user with that role (cached after the first login).
    QByteArray token(const QString &slug, const QString &role);
    QJsonObject login(const QString &email, const QString &password);

    // Runs SQL as the superuser owner (sees every tenant); returns the first column of every row.
    QStringList superuserQuery(const QString &sql);

private:
    bool seed(const QString &slug, const QString &name);
    bool startOn(const QString &databaseUrl, const QString &name, const QStringList &extraArgs);

    std::unique_ptr<server::core::ServerApplication> m_server;
    quint16 m_port = 0;
    QString m_databaseUrl;
    QHash<QString, SeedTenant> m_tenants;
    QHash<QString, QByteArray> m_tokens;
};

// A WebSocket client that speaks the JSON text frames of /api/v1/ws.
class WsJsonClient {
public:
    bool open(quint16 port);
    // Sends {"id":id,"op":op,"body":body[,"access_token":token]} and waits for the reply with that id.
    QJsonObject call(const QString &op, const QJsonObject &body = {}, const QString &accessToken = {});
    // Sends only a token; returns the "session" object (or the error reply).
    QJsonObject authenticate(const QString &accessToken);
    // Events received so far (the "event" objects); clear() forgets them.
    QList<QJsonObject> events() const { return m_events; }
    void clearEvents() { m_events.clear(); }
    // Waits up to ms for at least n events.
    bool waitForEvents(int n, int ms);

    QWebSocket socket;

private:
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int ms);

    quint64 m_next = 1;
    QList<QJsonObject> m_frames;
    QList<QJsonObject> m_events;
};

} // namespace atende::test
