#pragma once
// The connection facts the UI shows, as plain values. The UI library does not know where they come
// from (app/core's ServerMonitor today); the executable maps one onto the other.

#include <QDateTime>
#include <QString>
#include <QUrl>

namespace atende::app::ui {

enum class ConnectionState { Connecting, Connected, Degraded, Unreachable };

struct ConnectionStatus {
    ConnectionState state = ConnectionState::Connecting;
    QUrl serverUrl;
    QString serverVersion; // empty while unknown
    int roundTripMs = -1;  // -1 while unknown
    bool realtimeConnected = false;
    QString lastError; // may describe a problem that is over (see lastErrorAt)
    QDateTime lastErrorAt;
    QDateTime nextAttemptAt; // valid while waiting to retry an unreachable server
};

} // namespace atende::app::ui
