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
{
    m_monitor->setServerUrl(m_options.serverUrl);
}

AppContext::~AppContext() = default;

void AppContext::start()
{
    qCInfo(lcCore) << "server" << m_options.serverUrl.toDisplayString() << "from" << m_options.serverUrlOrigin;
    m_monitor->start();
}

} // namespace atende::app::core
