#pragma once
// Carries the ServerMonitor's state (app/core) to the main window (app/ui) as plain values, so that
// neither library includes the other.

#include "app/ui/connection_status.h"

namespace atende::app::core {
class ServerMonitor;
}
namespace atende::app::ui {
class MainWindow;
}

namespace atende::app {

ui::ConnectionStatus toConnectionStatus(const core::ServerMonitor &monitor);

// Shows the monitor's current state in `window` and keeps it up to date; "Try now" in the window
// makes the monitor retry. Connections end when either object is destroyed.
void bindConnectionStatus(core::ServerMonitor *monitor, ui::MainWindow *window);

} // namespace atende::app
