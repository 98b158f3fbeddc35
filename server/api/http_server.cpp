#include "server/api/http_server.h"

#include "common/core/error.h"
#include "server/api/http_connection.h"

#include <QMetaMethod>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <utility>

namespace atende::server::api {

Q_LOGGING_CATEGORY(lcHttp, "atende.server.http")

namespace {

// Accepted sockets, TLS handshakes in progress included, that may wait for onNewConnection(); past it
// QTcpServer stops accepting for a while instead of queueing without bound.
constexpr int kMaxPendingAccepts = 256;
constexpr int kTlsHandshakeTimeoutMs = 10'000;

} // namespace

struct HttpResponder::Ticket {
    QPointer<HttpConnection> connection;
    QPointer<HttpServer> server;
    quint64 serial = 0;
    bool answered = false;

    ~Ticket()
    {
        if (!answered && connection)
            connection->abandoned(serial);
    }
};

HttpResponder::HttpResponder(QPointer<HttpConnection> connection, quint64 requestSerial)
    : m_ticket(std::make_shared<Ticket>())
{
    m_ticket->server = connection ? connection->server() : nullptr;
    m_ticket->connection = std::move(connection);
    m_ticket->serial = requestSerial;
}

bool HttpResponder::send(const HttpResponse &response) const
{
    if (!m_ticket)
        return false;
    if (m_ticket->answered) {
        qCWarning(lcHttp) << "second response to one request ignored";
        return false;
    }
    m_ticket->answered = true;
    if (m_ticket->connection)
        return m_ticket->connection->respond(m_ticket->serial, response);
    // The connection object is gone with its client.
    if (m_ticket->server)
        m_ticket->server->responseDropped();
    return false;
}

bool HttpResponder::isConnected() const
{
    return m_ticket && m_ticket->connection && m_ticket->connection->isOpen();
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_handler(std::move(handler))
{
    // NonSecureMode also for TLS: it only decides whether the server makes its own QSslServer. Sockets
    // given to handleConnection() are used as they are, so an already encrypted QSslSocket stays
    // encrypted (the request URL then reads ws:// instead of wss://, which nothing here uses).
    // The header only forward-declares QWebSocket, so moc cannot register it for newWebSocket's queued
    // connections (and QSignalSpy); do it here.
    qRegisterMetaType<QWebSocket *>();
    m_wsServer = new QWebSocketServer(QStringLiteral("atende"), QWebSocketServer::NonSecureMode, this);
    connect(m_wsServer, &QWebSocketServer::newConnection, this, &HttpServer::onWebSocketReady);
}

HttpServer::~HttpServer()
{
    // Connections are children; deleting them here, while this object is whole, keeps their teardown
    // from reaching a half-destroyed server.
    const QSet<HttpConnection *> connections = std::exchange(m_connections, {});
    qDeleteAll(connections);
}

void HttpServer::setWebSocketPaths(WebSocketPathPredicate accept)
{
    m_wsPaths = std::move(accept);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_listener) {
        m_errorString = QStringLiteral("already listening");
        return false;
    }
    if (isTls()) {
        if (!QSslSocket::supportsSsl()) {
            m_errorString = QStringLiteral("TLS is configured but no TLS backend is available");
            return false;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(QList<QSslCertificate>{m_options.certificate} + m_options.chain);
        tls.setPrivateKey(m_options.privateKey);
        // TLS 1.2 or later: OpenSSL negotiates 1.3 whenever the client offers it.
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with tokens, not certificates
        auto *ssl = new QSslServer(this);
        ssl->setSslConfiguration(tls);
        ssl->setHandshakeTimeout(kTlsHandshakeTimeoutMs);
        connect(ssl, &QSslServer::errorOccurred, this, [](QSslSocket *, QAbstractSocket::SocketError error) {
            qCDebug(lcHttp) << "TLS connection failed before it was accepted:" << error;
        });
        m_listener = ssl;
    } else {
        m_listener = new QTcpServer(this);
    }
    m_listener->setMaxPendingConnections(kMaxPendingAccepts);
    // pendingConnectionAvailable, not newConnection: QSslServer queues a socket only once its handshake
    // is done, while newConnection fires at accept().
    connect(m_listener, &QTcpServer::pendingConnectionAvailable, this, &HttpServer::onNewConnection);
    if (!m_listener->listen(address, port)) {
        m_errorString = m_listener->errorString();
        delete std::exchange(m_listener, nullptr);
        return false;
    }
    m_port = m_listener->serverPort();
    m_stopping = false;
    m_drainedEmitted = false;
    qCInfo(lcHttp) << "listening on" << address.toString() << m_port << (isTls() ? "with TLS" : "without TLS");
    return true;
}

quint16 HttpServer::port() const
{
    return m_port;
}

bool HttpServer::isTls() const
{
    return !m_options.certificate.isNull() && !m_options.privateKey.isNull();
}

QString HttpServer::errorString() const
{
    return m_errorString;
}

int HttpServer::openConnections() const
{
    return int(m_connections.size());
}

void HttpServer::onNewConnection()
{
    while (m_listener && m_listener->hasPendingConnections()) {
        QTcpSocket *socket = m_listener->nextPendingConnection();
        if (!socket)
            return;
        if (m_stopping || m_connections.size() >= m_options.maxConnections) {
            // Counted and logged sparsely: under a flood one line per rejection would be a second flood.
            if (m_rejected++ % 1000 == 0)
                qCWarning(lcHttp) << "connection limit reached; rejected so far:" << m_rejected;
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_connections.insert(new HttpConnection(socket, this, m_options));
    }
}

void HttpServer::handle(HttpRequest request, HttpResponder responder)
{
    if (!m_handler) {
        responder.send(makeErrorResponse(404, atende::core::errc::kNotFound, QStringLiteral("No handler")));
        return;
    }
    m_handler(std::move(request), std::move(responder));
}

void HttpServer::upgrade(HttpConnection *connection, const QByteArray &path)
{
    QTcpSocket *socket = connection->takeSocket();
    connectionClosed(connection);
    // Until the handshake completes the socket belongs with the WebSocket server, which deletes it when
    // it disconnects; afterwards QWebSocket uses it without owning it.
    socket->setParent(m_wsServer);
    qCDebug(lcHttp) << "upgrading to WebSocket on" << path;
    m_wsServer->handleConnection(socket);
}

void HttpServer::onWebSocketReady()
{
    while (QWebSocket *socket = m_wsServer->nextPendingConnection()) {
        // Owned by this server until the receiver reparents or deletes it, so none leaks at shutdown.
        socket->setParent(this);
        if (!isSignalConnected(QMetaMethod::fromSignal(&HttpServer::newWebSocket))) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway);
            socket->deleteLater();
            continue;
        }
        QByteArray path;
        if (!HttpParser::percentDecode(socket->requestUrl().path(QUrl::FullyEncoded).toLatin1(), &path))
            path.clear();
        Q_EMIT newWebSocket(socket, path, socket->peerAddress());
    }
}

void HttpServer::connectionClosed(HttpConnection *connection)
{
    m_connections.remove(connection);
    connection->deleteLater();
}

void HttpServer::requestFinished()
{
    if (m_inFlight > 0)
        --m_inFlight;
    if (m_stopping && m_inFlight == 0)
        emitDrainedOnce();
}

void HttpServer::emitDrainedOnce()
{
    if (m_drainedEmitted)
        return;
    m_drainedEmitted = true;
    Q_EMIT drained();
}

void HttpServer::stopAccepting()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_listener)
        m_listener->close();
    qCInfo(lcHttp) << "stopped accepting;" << m_inFlight << "requests in flight";
    const QSet<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->shutdown();
    // Queued so a caller can connect to drained() after calling stopAccepting().
    if (m_inFlight == 0) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_inFlight == 0)
                    emitDrainedOnce();
            },
            Qt::QueuedConnection);
    }
}

void HttpServer::closeAll()
{
    const QSet<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeNow();
}

} // namespace atende::server::api
