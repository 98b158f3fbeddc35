#pragma once
// The world of the end-to-end benchmark: atende-wasim (process) with N business numbers and N simulated
// customers (wasim's admin API, our own client library — no Node), one atende-server on its embedded
// database with N WhatsApp connections paired against the simulator, one ticket per customer accepted by
// the demo agent, and the agent's WebSocket collecting events with their arrival time.

#include "tests/bench/bench_support.h"
#include "tests/e2e/e2e_processes.h"

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QWebSocket>

#include <functional>
#include <memory>

namespace atende::bench {

// Wall clock in ms (the simulator stamps received_at_ms with it; same machine).
qint64 nowMs();
// Runs the event loop until condition() or ms elapsed.
bool waitUntil(const std::function<bool()> &condition, int ms);

struct Line {
    QString businessPhone;
    QString customerPhone;
    QString connectionId;
    QString ticketId;
};

struct TimedEvent {
    qint64 atMs = 0;
    QJsonObject event;
};

class E2eWorld {
public:
    bool start(const QString &serverBinary, const QString &wasimBinary, int connections);
    QString error() const { return m_error; }

    // Fire-and-forget requests; done(status, json) runs on completion.
    void adminAsync(const QByteArray &method, const QString &path, const QJsonObject &body,
                    std::function<void(int, QJsonObject)> done);
    void apiAsync(const QByteArray &method, const QString &path, const QJsonObject &body,
                  std::function<void(int, QJsonObject)> done);
    // Blocking admin GET (collection after a phase).
    e2e::AdminReply admin(const QByteArray &method, const QString &path, const QJsonObject &body = {}) const
    {
        return m_wasim.admin(method, path, body);
    }

    QList<Line> lines;
    QList<TimedEvent> events; // agent WebSocket, arrival order
    // Blocking API GET as the agent (collection after a phase).
    HttpReply api(const QString &path) const { return httpRequest(m_server.port(), "GET", path, {}, m_agentToken); }
    qint64 serverPid() const { return m_server.pid(); }
    int inFlight() const { return m_inFlight; }

private:
    bool fail(const QString &why);
    bool pair(Line &line);
    bool openEvents();

    e2e::WasimProcess m_wasim;
    BenchServer m_server;
    QNetworkAccessManager m_net;
    QWebSocket m_ws;
    QByteArray m_agentToken;
    QByteArray m_adminToken;
    QString m_error;
    int m_inFlight = 0;
};

} // namespace atende::bench
