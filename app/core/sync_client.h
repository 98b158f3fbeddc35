#pragma once
// SyncClient: the console's real-time channel, a WebSocket to /api/v1/ws speaking binary ClientFrame /
// ServerFrame (common/proto/atende/api/v1/sync.proto).
//
// On every (re)connect it sends the access token together with sync.resume{after_seq = last seq seen}, pages
// through the backlog (more = true) and then receives live events, so nothing between two connections is
// lost. With no position yet (a fresh start) or when the server answers resync_required, it reports
// resyncRequired(): the console reloads its lists and continues from the server's head. A lost connection
// is retried with exponential back-off and jitter; online() is false meanwhile (the "server unreachable"
// banner). Nothing here blocks.

#include "app/core/backoff.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace atende::api::v1 {
class Event;
class ServerFrame;
} // namespace atende::api::v1

namespace atende::app::core {

class SyncClient : public QObject {
    Q_OBJECT
public:
    // No position: the first resume asks for the head (and the console loads its lists).
    static constexpr quint64 kNoPosition = ~quint64(0);

    explicit SyncClient(Backoff::Options backoff = {500, 30'000}, QObject *parent = nullptr);
    ~SyncClient() override;

    void setServerUrl(const QUrl &url) { m_serverUrl = url; }
    // Sends the new token on an open socket (before the old one expires the server would stop events).
    void setAccessToken(const QString &token);
    void start();
    void stop();

    quint64 lastSeq() const { return m_lastSeq; }
    void setLastSeq(quint64 seq) { m_lastSeq = seq; }
    bool online() const { return m_online; }
    int reconnects() const { return m_reconnects; }

Q_SIGNALS:
    void onlineChanged(bool online);
    void eventReceived(const atende::api::v1::Event &event);
    // Events were lost (or there is no position yet): reload state.
    void resyncRequired();
    // The server refused or let lapse our token: the Session should refresh it.
    void tokenRejected();
    // Delay before the next attempt, after a failure.
    void retryScheduled(int delayMs);

private:
    void connectNow();
    void onBinary(const QByteArray &data);
    void onFrame(const atende::api::v1::ServerFrame &frame);
    void sendResume(bool withToken);
    void onDisconnected();
    void setOnline(bool online);
    void deliver(const atende::api::v1::Event &event);

    QUrl m_serverUrl;
    QString m_token;
    Backoff m_backoff;
    QTimer m_retryTimer;
    QPointer<QWebSocket> m_socket;
    bool m_running = false;
    bool m_online = false;
    quint64 m_lastSeq = kNoPosition;
    quint64 m_nextId = 1;
    quint64 m_resumeId = 0;
    int m_reconnects = 0;
};

} // namespace atende::app::core
