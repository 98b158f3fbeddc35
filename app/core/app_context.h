#pragma once
// AppContext: the desktop app's composition root. main() builds exactly one and passes what each
// part needs to it by constructor; nothing reaches for a global (STYLE.md).
//
// Today it owns the network stack and the ServerMonitor; sign-in (ApiClient, Session) and the
// real-time sync client join it in later issues.

#include "app/core/server_monitor.h"
#include "app/core/startup_options.h"

#include <QObject>
#include <memory>

class QNetworkAccessManager;

namespace atende::app::core {

class AppContext : public QObject {
    Q_OBJECT
public:
    explicit AppContext(StartupOptions options, QObject *parent = nullptr);
    AppContext(StartupOptions options, ServerMonitorOptions monitorOptions, QObject *parent = nullptr);
    ~AppContext() override;

    const StartupOptions &options() const { return m_options; }
    QNetworkAccessManager *network() const { return m_network.get(); }
    ServerMonitor *serverMonitor() const { return m_monitor.get(); }

    // Starts the background work (the monitor's polls and real-time channel).
    void start();

private:
    StartupOptions m_options;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ServerMonitor> m_monitor; // declared after m_network: destroyed before it
};

} // namespace atende::app::core
