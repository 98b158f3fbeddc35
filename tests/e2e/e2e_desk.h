#pragma once
// The agent's side of the end-to-end tests: REST calls with a bearer token against the atende-server
// process and a WebSocket session that collects the tenant's events (ticket, message, typing).

#include <QJsonObject>
#include <QList>
#include <QWebSocket>

#include <functional>
#include <memory>

namespace atende::e2e {

struct ApiReply {
    int status = 0;
    QJsonObject json;
};

class DeskClient {
public:
    explicit DeskClient(quint16 port)
        : m_port(port)
    {}
    void setPort(quint16 port) { m_port = port; }

    bool login(const QString &email, const QString &password);
    QByteArray token() const { return m_token; }
    ApiReply call(const QByteArray &method, const QString &path, const QJsonObject &body = {}) const;

    // The first ticket (any view the caller sees) whose contact phone is `phone`; empty object when none.
    QJsonObject ticketOf(const QString &phone) const;
    // Every message of a ticket, oldest first (pages through messages.list).
    QList<QJsonObject> messages(const QString &ticketId) const;
    // messages.send; returns the stored message (empty on error).
    QJsonObject reply(const QString &ticketId, const QString &body, const QString &clientRequestId = {}) const;

    // WebSocket events: opens /api/v1/ws and authenticates with the token. Events are kept in order.
    bool openEvents();
    QList<QJsonObject> events() const { return m_events; }
    void clearEvents() { m_events.clear(); }

private:
    quint16 m_port;
    QByteArray m_token;
    std::unique_ptr<QWebSocket> m_ws;
    QList<QJsonObject> m_events;
};

// Inbound messages of a ticket, as (externalId, body) in stored order.
QList<QJsonObject> inboundOf(const QList<QJsonObject> &messages);

} // namespace atende::e2e
