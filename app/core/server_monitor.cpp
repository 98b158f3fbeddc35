#include "app/core/server_monitor.h"

#include "app/core/logging.h"
#include "app/core/network_errors.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QWebSocket>

namespace atende::app::core {

namespace {
constexpr qint64 kMaxBodyBytes = 64 * 1024; // these endpoints answer a few hundred bytes

QNetworkRequest makeRequest(const QUrl &url, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setRawHeader("Accept", "application/json");
    // So that a server which words its {code, message} errors per language can use ours.
    request.setRawHeader("Accept-Language", QLocale().bcp47Name().toLatin1());
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QStringLiteral("Atende/%1").arg(QCoreApplication::applicationVersion()));
    return request;
}

// The "message" of a JSON error body ({code, message, details}), if there is one.
QString bodyMessage(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    return document.isObject() ? document.object().value(QLatin1String("message")).toString() : QString();
}
} // namespace

// One round of the three requests; finishPoll() runs when all three have answered.
struct ServerMonitor::PollCycle {
    quint64 id = 0;
    int pending = 0;
    QElapsedTimer clock;
    int healthRoundTripMs = -1;
    ReplyOutcome health;
    ReplyOutcome ready;
    ReplyOutcome info;
};

ServerMonitor::ServerMonitor(QNetworkAccessManager *network, ServerMonitorOptions options, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_options(options)
    , m_httpBackoff(options.httpBackoff)
    , m_webSocketBackoff(options.webSocketBackoff)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ServerMonitor::poll);
    m_webSocketRetryTimer.setSingleShot(true);
    connect(&m_webSocketRetryTimer, &QTimer::timeout, this, &ServerMonitor::openWebSocket);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this,
            [this] { onWebSocketFailed(NetworkErrors::timedOut(m_options.requestTimeoutMs)); });
}

ServerMonitor::~ServerMonitor()
{
    // Like stop(), but without publishing: nobody should hear from a half-destroyed object.
    m_running = false;
    abortPolls();
    discardWebSocket();
}

QUrl ServerMonitor::endpointUrl(const QUrl &base, const QString &relativePath)
{
    QUrl url = base.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + relativePath);
    return url;
}

QUrl ServerMonitor::webSocketUrl(const QUrl &base)
{
    QUrl url = endpointUrl(base, QStringLiteral("api/v1/ws"));
    url.setScheme(base.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? QStringLiteral("wss")
                                                                                          : QStringLiteral("ws"));
    return url;
}

void ServerMonitor::setServerUrl(const QUrl &url)
{
    if (url == m_serverUrl)
        return;
    const bool wasRunning = m_running;
    stop();
    const Snapshot before = snapshot();
    m_serverUrl = url;
    resetStatus();
    qCInfo(lcCore) << "server URL" << url.toDisplayString();
    Q_EMIT serverUrlChanged(m_serverUrl);
    publish(before);
    if (wasRunning)
        start();
}

void ServerMonitor::start()
{
    if (m_running)
        return;
    if (!m_network) {
        qCWarning(lcCore) << "no network access manager; monitor not started";
        return;
    }
    m_running = true;
    m_webSocketFailed = false;
    poll();
    openWebSocket();
}

void ServerMonitor::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer.stop();
    m_webSocketRetryTimer.stop();
    abortPolls();
    discardWebSocket();
    const Snapshot before = snapshot();
    m_realtimeConnected = false;
    m_nextAttemptAt = QDateTime();
    publish(before);
}

void ServerMonitor::retryNow()
{
    if (!m_running)
        return;
    m_httpBackoff.reset();
    m_webSocketBackoff.reset();
    if (m_inFlight.empty())
        schedulePoll(0);
    if (!webSocketBusy())
        openWebSocket();
}

// ---- HTTP polling ----------------------------------------------------------------------------

void ServerMonitor::poll()
{
    if (!m_running || !m_inFlight.empty())
        return;
    auto cycle = std::make_shared<PollCycle>();
    cycle->id = ++m_cycleId;
    cycle->pending = 3;
    cycle->clock.start();
    get(cycle, QStringLiteral("healthz"), [](PollCycle &c, const ReplyOutcome &outcome) {
        c.health = outcome;
        c.healthRoundTripMs = static_cast<int>(c.clock.elapsed());
    });
    get(cycle, QStringLiteral("readyz"), [](PollCycle &c, const ReplyOutcome &outcome) { c.ready = outcome; });
    get(cycle, QStringLiteral("api/v1/system/info"),
        [](PollCycle &c, const ReplyOutcome &outcome) { c.info = outcome; });
}

void ServerMonitor::get(const std::shared_ptr<PollCycle> &cycle, const QString &path,
                        std::function<void(PollCycle &, const ReplyOutcome &)> record)
{
    QNetworkReply *reply = m_network->get(makeRequest(endpointUrl(m_serverUrl, path), m_options.requestTimeoutMs));
    m_inFlight.emplace_back(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, cycle, record = std::move(record)] {
        reply->deleteLater();
        if (cycle->id != m_cycleId)
            return; // stopped or restarted meanwhile
        ReplyOutcome outcome;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid()) {
            outcome.answered = true;
            outcome.status = status.toInt();
            outcome.body = reply->read(kMaxBodyBytes);
        } else if (reply->error() == QNetworkReply::OperationCanceledError) {
            // We abort only stale cycles (filtered above), so this is the transfer timeout.
            outcome.error = NetworkErrors::timedOut(m_options.requestTimeoutMs);
        } else {
            outcome.error = NetworkErrors::describe(reply->error(), reply->errorString());
        }
        record(*cycle, outcome);
        if (--cycle->pending == 0)
            finishPoll(*cycle);
    });
}

void ServerMonitor::finishPoll(const PollCycle &cycle)
{
    m_inFlight.clear();
    const Snapshot before = snapshot();
    const bool wasKnown = m_httpKnown;
    const bool wasAlive = m_httpAlive;
    const bool wasReady = m_httpReady;
    m_httpKnown = true;
    m_httpAlive = cycle.health.answered && cycle.health.status == 200;
    m_httpReady = m_httpAlive && cycle.ready.answered && cycle.ready.status == 200;

    // The server is back, or its database is (or it answered for the first time): open the real-time
    // channel now rather than at the end of its back-off, and give that attempt a fair chance before
    // calling the state Degraded. An attempt still under way from the outage may have gone to a dying
    // server: start over.
    const bool cameBack = m_httpAlive && (!wasAlive || (m_httpReady && !wasReady));
    if (cameBack && !m_realtimeConnected && (wasKnown || !webSocketBusy())) {
        m_webSocketBackoff.reset();
        m_webSocketFailed = false;
        m_webSocketFailure.clear();
        openWebSocket();
    }

    if (!cycle.health.answered) {
        recordError(cycle.health.error);
    } else if (!m_httpAlive) {
        recordError(tr("The server answered /healthz with HTTP %1.").arg(cycle.health.status));
    } else if (!m_httpReady) {
        if (!cycle.ready.answered) {
            recordError(cycle.ready.error);
        } else if (cycle.ready.status == 503) {
            const QString detail = bodyMessage(cycle.ready.body);
            recordError(detail.isEmpty() ? tr("The server is running but not ready: its database is not available.")
                                         : tr("The server is running but not ready: %1").arg(detail));
        } else {
            recordError(tr("The server answered /readyz with HTTP %1.").arg(cycle.ready.status));
        }
    } else if (m_realtimeConnected) {
        m_errorActive = false; // fully healthy: the last error becomes history
    } else if (m_webSocketFailed && !m_webSocketFailure.isEmpty()) {
        recordError(tr("Real-time channel: %1").arg(m_webSocketFailure)); // the reason for Degraded
    }

    if (m_httpAlive) {
        m_roundTripMs = cycle.healthRoundTripMs;
        if (cycle.info.answered && cycle.info.status == 200) {
            if (const auto info = ServerInfo::fromJson(cycle.info.body))
                m_info = *info;
            else
                qCWarning(lcCore) << "unreadable /api/v1/system/info body";
        }
        m_httpBackoff.reset();
        m_nextAttemptAt = QDateTime();
        schedulePoll(m_options.pollIntervalMs);
    } else {
        m_roundTripMs = -1;
        m_info = ServerInfo(); // it may come back as another version
        const int delay = m_httpBackoff.nextDelayMs();
        m_nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(delay);
        schedulePoll(delay);
    }
    publish(before);
}

void ServerMonitor::abortPolls()
{
    ++m_cycleId; // the finished() handlers of these replies now see a stale cycle
    auto replies = std::move(m_inFlight);
    m_inFlight.clear();
    for (const QPointer<QNetworkReply> &reply : replies) {
        if (reply)
            reply->abort();
    }
}

void ServerMonitor::schedulePoll(int delayMs)
{
    if (m_running)
        m_pollTimer.start(delayMs);
}

// ---- WebSocket -------------------------------------------------------------------------------

bool ServerMonitor::webSocketBusy() const
{
    return m_socket != nullptr; // open or handshaking; a failed socket is discarded at once
}

void ServerMonitor::openWebSocket()
{
    if (!m_running)
        return;
    m_webSocketRetryTimer.stop();
    discardWebSocket();
    m_webSocketError.clear();

    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, &ServerMonitor::onWebSocketConnected);
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket != m_socket)
            return;
        // A refused connect reports disconnected() before error(): ask the socket what happened.
        QString reason = m_webSocketError;
        if (reason.isEmpty() && socket->error() != QAbstractSocket::UnknownSocketError)
            reason = NetworkErrors::describe(socket->error(), socket->errorString());
        onWebSocketFailed(reason.isEmpty() ? tr("The server closed the real-time channel.") : reason);
    });
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError error) {
                if (socket != m_socket)
                    return;
                // QWebSocket reports a rejected handshake (HTTP 404, 403, ...) as ConnectionRefusedError too;
                // when the HTTP side answers, the server is there and refused the upgrade itself.
                m_webSocketError = error == QAbstractSocket::ConnectionRefusedError && m_httpAlive
                                       ? tr("the server refused it (%1)").arg(socket->errorString())
                                       : NetworkErrors::describe(error, socket->errorString());
                // A failed handshake may emit no disconnected(): end the attempt here. Whichever of the
                // two signals comes first wins; the socket is discarded, so the other one is ignored.
                if (!m_realtimeConnected)
                    onWebSocketFailed(m_webSocketError);
            });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &frame) {
        if (socket == m_socket)
            Q_EMIT realtimeFrameReceived(frame);
    });

    QNetworkRequest request(webSocketUrl(m_serverUrl));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QStringLiteral("Atende/%1").arg(QCoreApplication::applicationVersion()));
    m_handshakeTimer.start(m_options.requestTimeoutMs);
    socket->open(request);
}

void ServerMonitor::onWebSocketConnected()
{
    if (sender() != m_socket)
        return;
    m_handshakeTimer.stop();
    const Snapshot before = snapshot();
    qCInfo(lcCore) << "real-time channel open" << webSocketUrl(m_serverUrl).toDisplayString();
    m_realtimeConnected = true;
    m_webSocketFailed = false;
    m_webSocketError.clear();
    m_webSocketFailure.clear();
    m_webSocketBackoff.reset();
    if (m_httpAlive && m_httpReady)
        m_errorActive = false;
    publish(before);
}

void ServerMonitor::onWebSocketFailed(const QString &error)
{
    const Snapshot before = snapshot();
    const bool wasOpen = m_realtimeConnected;
    m_realtimeConnected = false;
    m_webSocketFailed = true;
    m_webSocketFailure = error;
    discardWebSocket();
    qCInfo(lcCore) << "real-time channel" << (wasOpen ? "lost:" : "failed:") << error;
    // When the HTTP side is down its error says more; this one only matters as the Degraded reason.
    if (m_httpAlive && m_httpReady)
        recordError(tr("Real-time channel: %1").arg(error));
    scheduleWebSocketRetry();
    if (wasOpen && m_inFlight.empty())
        schedulePoll(0); // find out at once whether the whole server went away
    publish(before);
}

void ServerMonitor::discardWebSocket()
{
    m_handshakeTimer.stop();
    if (QWebSocket *socket = m_socket) {
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

void ServerMonitor::scheduleWebSocketRetry()
{
    if (m_running && !m_webSocketRetryTimer.isActive())
        m_webSocketRetryTimer.start(m_webSocketBackoff.nextDelayMs());
}

// ---- state -----------------------------------------------------------------------------------

void ServerMonitor::resetStatus()
{
    m_httpKnown = m_httpAlive = m_httpReady = false;
    m_errorActive = false;
    m_webSocketFailed = false;
    m_webSocketFailure.clear();
    m_lastError.clear();
    m_lastErrorAt = QDateTime();
    m_roundTripMs = -1;
    m_info = ServerInfo();
    m_realtimeConnected = false;
    m_nextAttemptAt = QDateTime();
    m_httpBackoff.reset();
    m_webSocketBackoff.reset();
}

void ServerMonitor::recordError(const QString &error)
{
    // A problem that keeps repeating keeps the time it started.
    if (!m_errorActive || error != m_lastError) {
        m_lastError = error;
        m_lastErrorAt = QDateTime::currentDateTime();
    }
    m_errorActive = true;
}

ServerMonitor::State ServerMonitor::computeState() const
{
    if (!m_httpKnown)
        return State::Connecting;
    if (!m_httpAlive)
        return State::Unreachable;
    if (!m_httpReady)
        return State::Degraded;
    if (m_realtimeConnected)
        return State::Connected;
    return m_webSocketFailed ? State::Degraded : State::Connecting;
}

ServerMonitor::Snapshot ServerMonitor::snapshot() const
{
    return {m_state, m_lastError, m_lastErrorAt, m_roundTripMs, m_info, m_realtimeConnected, m_nextAttemptAt};
}

void ServerMonitor::publish(const Snapshot &before)
{
    m_state = computeState();
    bool any = false;
    if (before.state != m_state) {
        qCInfo(lcCore) << "state" << before.state << "->" << m_state;
        Q_EMIT stateChanged(m_state);
        any = true;
    }
    if (before.lastError != m_lastError || before.lastErrorAt != m_lastErrorAt) {
        Q_EMIT lastErrorChanged(m_lastError);
        any = true;
    }
    if (before.roundTripMs != m_roundTripMs) {
        Q_EMIT roundTripMsChanged(m_roundTripMs);
        any = true;
    }
    if (before.info.version != m_info.version) {
        Q_EMIT serverVersionChanged(m_info.version);
        any = true;
    }
    if (!(before.info == m_info)) {
        Q_EMIT serverInfoChanged();
        any = true;
    }
    if (before.realtimeConnected != m_realtimeConnected) {
        Q_EMIT realtimeConnectedChanged(m_realtimeConnected);
        any = true;
    }
    if (before.nextAttemptAt != m_nextAttemptAt) {
        Q_EMIT nextAttemptAtChanged(m_nextAttemptAt);
        any = true;
    }
    if (any)
        Q_EMIT changed();
}

} // namespace atende::app::core
