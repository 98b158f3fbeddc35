#include "app/connection_bridge.h"

#include "app/core/server_monitor.h"
#include "app/ui/main_window.h"

namespace atende::app {

namespace {
ui::ConnectionState toUi(core::ServerMonitor::State state)
{
    using S = core::ServerMonitor::State;
    switch (state) {
    case S::Connected: return ui::ConnectionState::Connected;
    case S::Degraded: return ui::ConnectionState::Degraded;
    case S::Unreachable: return ui::ConnectionState::Unreachable;
    case S::Connecting: break;
    }
    return ui::ConnectionState::Connecting;
}
} // namespace

ui::ConnectionStatus toConnectionStatus(const core::ServerMonitor &monitor)
{
    ui::ConnectionStatus status;
    status.state = toUi(monitor.state());
    status.serverUrl = monitor.serverUrl();
    status.serverVersion = monitor.serverVersion();
    status.roundTripMs = monitor.roundTripMs();
    status.realtimeConnected = monitor.realtimeConnected();
    status.lastError = monitor.lastError();
    status.lastErrorAt = monitor.lastErrorAt();
    status.nextAttemptAt = monitor.nextAttemptAt();
    return status;
}

void bindConnectionStatus(core::ServerMonitor *monitor, ui::MainWindow *window)
{
    window->setConnectionStatus(toConnectionStatus(*monitor));
    auto update = [monitor, window] {
        window->setConnectionStatus(toConnectionStatus(*monitor));
    };
    QObject::connect(monitor, &core::ServerMonitor::changed, window, update);
    QObject::connect(monitor, &core::ServerMonitor::serverUrlChanged, window, update);
    QObject::connect(window, &ui::MainWindow::retryRequested, monitor, &core::ServerMonitor::retryNow);
}

} // namespace atende::app
