#pragma once
// AppContext: the desktop app's composition root. main() builds exactly one and passes what each
// part needs to it by constructor; nothing reaches for a global (STYLE.md).
//
// It owns the network stack, the ServerMonitor, the REST client (ApiClient), the signed-in Session (with
// the keychain behind "remember me"), the real-time SyncClient and the Directory of names. The console
// receives the pieces it needs from here.

#include "app/core/api_client.h"
#include "app/core/directory.h"
#include "app/core/secret_store.h"
#include "app/core/server_monitor.h"
#include "app/core/session.h"
#include "app/core/startup_options.h"
#include "app/core/sync_client.h"

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
    ApiClient *api() const { return m_api.get(); }
    Session *session() const { return m_session.get(); }
    SyncClient *sync() const { return m_sync.get(); }
    Directory *directory() const { return m_directory.get(); }

    // Starts the background work (the monitor's polls and real-time channel).
    void start();

private:
    StartupOptions m_options;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ServerMonitor> m_monitor; // declared after m_network: destroyed before it
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<KeychainSecretStore> m_secrets;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<SyncClient> m_sync;
    std::unique_ptr<Directory> m_directory;
};

} // namespace atende::app::core
