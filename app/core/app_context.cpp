#include "app/core/app_context.h"

#include "app/core/logging.h"

#include <QNetworkAccessManager>

namespace atende::app::core {

AppContext::AppContext(StartupOptions options, QObject *parent)
    : AppContext(std::move(options), ServerMonitorOptions{}, parent)
{}

AppContext::AppContext(StartupOptions options, ServerMonitorOptions monitorOptions, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_network(std::make_unique<QNetworkAccessManager>())
    , m_monitor(std::make_unique<ServerMonitor>(m_network.get(), monitorOptions))
    , m_api(std::make_unique<ApiClient>(m_network.get()))
    , m_secrets(std::make_unique<KeychainSecretStore>())
    , m_session(std::make_unique<Session>(m_api.get(), m_secrets.get()))
    , m_sync(std::make_unique<SyncClient>())
    , m_directory(std::make_unique<Directory>(m_api.get()))
{
    m_monitor->setServerUrl(m_options.serverUrl);
    m_api->setBaseUrl(m_options.serverUrl);
    // The socket follows the session: a new token re-authenticates it, signing out closes it.
    connect(m_session.get(), &Session::accessTokenChanged, this, [this](const QString &token) {
        m_sync->setServerUrl(m_session->serverUrl());
        m_sync->setAccessToken(token);
        if (token.isEmpty())
            m_sync->stop();
    });
    connect(m_session.get(), &Session::signedIn, this, [this] {
        m_directory->setMyUserId(m_session->user().id);
        m_directory->reload();
        m_sync->start();
    });
    connect(m_sync.get(), &SyncClient::tokenRejected, m_session.get(), [this] { m_session->refresh(); });
}

AppContext::~AppContext() = default;

void AppContext::start()
{
    qCInfo(lcCore) << "server" << m_options.serverUrl.toDisplayString() << "from" << m_options.serverUrlOrigin;
    m_monitor->start();
}

} // namespace atende::app::core
