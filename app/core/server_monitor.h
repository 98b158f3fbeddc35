#pragma once
// ServerMonitor: is the Atende server at this URL there, ready, and reachable in real time?
//
// It polls GET /healthz (liveness, also the round-trip measurement), GET /readyz (database ready)
// and GET /api/v1/system/info (version) together, and keeps a WebSocket open to /api/v1/ws.
// Failures are retried with exponential back-off and jitter (HTTP polls and the WebSocket each
// have their own); when the server comes back the WebSocket is reopened at once.
//
// State:
//   Connecting   no answer yet since start() / a new URL (or the first WebSocket attempt is pending)
//   Connected    /healthz and /readyz say 200 and the WebSocket is open
//   Degraded     the server answers but is not ready (/readyz != 200, database not ready),
//                or its real-time channel cannot be opened
//   Unreachable  /healthz does not answer 200 (refused, timed out, wrong host, ...)
// lastError keeps the most recent problem even after recovery, with its time, because "it dropped
// at 14:02" is what a supervisor needs to know (PRODUCT.md N1).
//
// Nothing here blocks: every request is asynchronous on the caller's (GUI) thread.

#include "app/core/backoff.h"
#include "app/core/server_info.h"

#include <QDateTime>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <functional>
#include <memory>
#include <vector>

class QNetworkAccessManager;
class QWebSocket;

namespace atende::app::core {

struct ServerMonitorOptions {
    int pollIntervalMs = 5'000;   // between polls while the server answers
    int requestTimeoutMs = 5'000; // per HTTP request and per WebSocket handshake
    Backoff::Options httpBackoff{1'000, 30'000};
    Backoff::Options webSocketBackoff{500, 30'000};
};

class ServerMonitor : public QObject {
    Q_OBJECT
    Q_PROPERTY(QUrl serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(atende::app::core::ServerMonitor::State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(QDateTime lastErrorAt READ lastErrorAt NOTIFY lastErrorChanged)
    Q_PROPERTY(int roundTripMs READ roundTripMs NOTIFY roundTripMsChanged)
    Q_PROPERTY(QString serverVersion READ serverVersion NOTIFY serverVersionChanged)
    Q_PROPERTY(bool realtimeConnected READ realtimeConnected NOTIFY realtimeConnectedChanged)
    Q_PROPERTY(QDateTime nextAttemptAt READ nextAttemptAt NOTIFY nextAttemptAtChanged)

public:
    enum class State { Connecting, Connected, Degraded, Unreachable };
    Q_ENUM(State)

    // `network` is not owned and must outlive the monitor.
    ServerMonitor(QNetworkAccessManager *network, ServerMonitorOptions options, QObject *parent = nullptr);
    ~ServerMonitor() override;

    QUrl serverUrl() const { return m_serverUrl; }
    // Starts over (state Connecting) when the URL changes; keeps running if it was.
    void setServerUrl(const QUrl &url);

    State state() const { return m_state; }
    QString lastError() const { return m_lastError; }
    QDateTime lastErrorAt() const { return m_lastErrorAt; }
    // Round trip of the last successful GET /healthz; -1 while unknown.
    int roundTripMs() const { return m_roundTripMs; }
    QString serverVersion() const { return m_info.version; }
    ServerInfo serverInfo() const { return m_info; }
    bool realtimeConnected() const { return m_realtimeConnected; }
    // When the next poll runs while the server is unreachable; invalid otherwise.
    QDateTime nextAttemptAt() const { return m_nextAttemptAt; }
    bool isRunning() const { return m_running; }

    // base "https://host:8443/prefix" -> "https://host:8443/prefix/<relative>", query/fragment dropped.
    static QUrl endpointUrl(const QUrl &base, const QString &relativePath);
    // base "http(s)://host:port/prefix" -> "ws(s)://host:port/prefix/api/v1/ws".
    static QUrl webSocketUrl(const QUrl &base);

public Q_SLOTS:
    void start();
    void stop();
    // Polls and reconnects now instead of waiting for the back-off ("Try now" in the UI).
    void retryNow();

Q_SIGNALS:
    void serverUrlChanged(const QUrl &url);
    void stateChanged(atende::app::core::ServerMonitor::State state);
    void lastErrorChanged(const QString &error);
    void roundTripMsChanged(int ms);
    void serverVersionChanged(const QString &version);
    void serverInfoChanged();
    void realtimeConnectedChanged(bool connected);
    void nextAttemptAtChanged(const QDateTime &at);
    // Once after every batch of property changes above (one poll, one socket event).
    void changed();
    // Every binary frame of the real-time channel (the first one is the server's Hello).
    void realtimeFrameReceived(const QByteArray &frame);

private:
    struct ReplyOutcome {
        bool answered = false; // an HTTP status line came back
        int status = 0;
        QString error; // human-readable, when !answered
        QByteArray body;
    };
    struct PollCycle;
    struct Snapshot {
        State state;
        QString lastError;
        QDateTime lastErrorAt;
        int roundTripMs;
        ServerInfo info;
        bool realtimeConnected;
        QDateTime nextAttemptAt;
    };

    void poll();
    void get(const std::shared_ptr<PollCycle> &cycle, const QString &path,
             std::function<void(PollCycle &, const ReplyOutcome &)> record);
    void finishPoll(const PollCycle &cycle);
    void abortPolls();
    void schedulePoll(int delayMs);

    void openWebSocket();
    void onWebSocketConnected();
    void onWebSocketFailed(const QString &error);
    void discardWebSocket();
    void scheduleWebSocketRetry();
    bool webSocketBusy() const;

    void resetStatus();
    void recordError(const QString &error);
    State computeState() const;
    Snapshot snapshot() const;
    void publish(const Snapshot &before);

    QPointer<QNetworkAccessManager> m_network;
    ServerMonitorOptions m_options;
    QUrl m_serverUrl;
    bool m_running = false;

    // Published properties.
    State m_state = State::Connecting;
    QString m_lastError;
    QDateTime m_lastErrorAt;
    int m_roundTripMs = -1;
    ServerInfo m_info;
    bool m_realtimeConnected = false;
    QDateTime m_nextAttemptAt;

    // HTTP side.
    QTimer m_pollTimer;
    Backoff m_httpBackoff;
    quint64 m_cycleId = 0;
    std::vector<QPointer<QNetworkReply>> m_inFlight;
    bool m_httpKnown = false;
    bool m_httpAlive = false;
    bool m_httpReady = false;
    bool m_errorActive = false; // lastError describes a problem that is still going on

    // WebSocket side.
    QPointer<QWebSocket> m_socket;
    QTimer m_webSocketRetryTimer;
    QTimer m_handshakeTimer;
    Backoff m_webSocketBackoff;
    bool m_webSocketFailed = false; // the latest attempt failed (and no fresh chance was started)
    QString m_webSocketError;       // from error(), for the disconnected() that may follow
    QString m_webSocketFailure;     // why the latest attempt failed; cleared when one succeeds
};

} // namespace atende::app::core
