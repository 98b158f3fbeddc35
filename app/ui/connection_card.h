#pragma once
// The "connection" card: state dot and title, which server, its version, latency, the real-time
// channel, the last error, and a countdown with "Try now" while the server cannot be reached.
//
// Child object names (tests look them up): connectionStateDot, connectionTitleLabel,
// connectionSubtitleLabel, serverVersionValue, latencyValue, realtimeValue, lastErrorValue,
// lastErrorTimeValue, retryLabel, retryButton.

#include "app/ui/connection_status.h"
#include "app/ui/theme.h"

#include <QFrame>
#include <QTimer>

class QLabel;
class QPushButton;

namespace atende::app::ui {

class StatusDot;

class ConnectionCard : public QFrame {
    Q_OBJECT
public:
    explicit ConnectionCard(QWidget *parent = nullptr);

    void setStatus(const ConnectionStatus &status);
    const ConnectionStatus &status() const { return m_status; }
    void setTheme(const Theme &theme);
    void retranslate();

    // Texts shared with the main window's status bar.
    static QString stateTitle(ConnectionState state);

Q_SIGNALS:
    void retryRequested();

private:
    void render();
    void renderCountdown();

    StatusDot *m_dot;
    QLabel *m_title;
    QLabel *m_subtitle;
    QLabel *m_versionName;
    QLabel *m_version;
    QLabel *m_latencyName;
    QLabel *m_latency;
    QLabel *m_realtimeName;
    QLabel *m_realtime;
    QLabel *m_lastErrorName;
    QLabel *m_lastError;
    QLabel *m_lastErrorTime;
    QLabel *m_retry;
    QPushButton *m_retryButton;
    QTimer m_countdown;
    ConnectionStatus m_status;
    Theme m_theme = Theme::light();
};

} // namespace atende::app::ui
