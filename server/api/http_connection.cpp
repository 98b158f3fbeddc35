#include "server/api/http_connection.h"

#include "common/core/error.h"
#include "server/api/http_server.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>
#include <QSslSocket>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace atende::server::api {

namespace errc = atende::core::errc;

namespace {

// Bytes taken from the socket per parser step. The socket's read buffer is capped at the header limit
// plus this, which bounds what one connection can make us hold outside the parser.
constexpr qint64 kReadChunk = 64 * 1024;
// How long input is read and discarded after an error response before closing: closing a socket with
// unread input makes the kernel send RST, and the client may then lose the response it was sent.
// Well-behaved clients close much sooner, as our FIN (halfCloseWhenFlushed) tells them we are done.
constexpr int kLingerMs = 2'000;
// A closing socket whose peer does not read our last bytes is aborted after this.
constexpr int kCloseDeadlineMs = 5'000;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return QByteArrayLiteral("Continue");
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 202: return QByteArrayLiteral("Accepted");
    case 204: return QByteArrayLiteral("No Content");
    case 301: return QByteArrayLiteral("Moved Permanently");
    case 302: return QByteArrayLiteral("Found");
    case 304: return QByteArrayLiteral("Not Modified");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 409: return QByteArrayLiteral("Conflict");
    case 411: return QByteArrayLiteral("Length Required");
    case 413: return QByteArrayLiteral("Content Too Large");
    case 415: return QByteArrayLiteral("Unsupported Media Type");
    case 422: return QByteArrayLiteral("Unprocessable Content");
    case 426: return QByteArrayLiteral("Upgrade Required");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 501: return QByteArrayLiteral("Not Implemented");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 504: return QByteArrayLiteral("Gateway Timeout");
    case 505: return QByteArrayLiteral("HTTP Version Not Supported");
    default: return {}; // the reason phrase may be empty (RFC 9112 §4)
    }
}

// IMF-fixdate (RFC 9110 §5.6.7), which an origin server with a clock must send.
QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

// Headers the transport writes itself; a handler's copy would contradict the framing.
bool isManagedHeader(const QByteArray &lowerName)
{
    return lowerName == "content-length" || lowerName == "transfer-encoding" || lowerName == "connection" ||
           lowerName == "date" || lowerName == "content-type";
}

} // namespace

HttpResponse makeErrorResponse(int status, const char *code, const QString &message, const QJsonObject &details)
{
    QJsonObject body;
    body.insert(QStringLiteral("code"), QString::fromLatin1(code));
    body.insert(QStringLiteral("message"), message);
    body.insert(QStringLiteral("details"), details);
    return HttpResponse::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server, const HttpServerOptions &options)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(HttpParserLimits{options.maxHeaderBytes, options.maxBodyBytes})
    , m_peer(socket->peerAddress())
    , m_maxHeaderBytes(options.maxHeaderBytes)
    , m_maxBodyBytes(options.maxBodyBytes)
    , m_idleTimeoutMs(options.idleTimeoutMs)
    , m_secure(qobject_cast<QSslSocket *>(socket) != nullptr)
{
    socket->setParent(this);
    // Larger than the header limit, so a whole request head can be peeked for the upgrade check.
    socket->setReadBufferSize(m_maxHeaderBytes + kReadChunk);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QIODevice::bytesWritten, this, &HttpConnection::halfCloseWhenFlushed);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &HttpConnection::halfCloseWhenFlushed);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    // The request must be complete within the idle timeout from the moment the connection is idle
    // (the timer is not restarted by partial input), which also bounds slow-header attacks.
    m_timer.start(m_idleTimeoutMs);

    // A TLS socket comes out of QSslServer after its handshake and may already hold request bytes; a
    // client may also have gone before we accepted it. Neither will signal again.
    if (socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &HttpConnection::onDisconnected, Qt::QueuedConnection);
    else if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    // The socket is our child and dies with us; its last signals must not reach a half-destroyed object.
    if (m_socket)
        m_socket->disconnect(this);
}

bool HttpConnection::isOpen() const
{
    return m_socket && m_state != State::Closing && m_state != State::Closed &&
           m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::onReadyRead()
{
    switch (m_state) {
    case State::Reading: pump(); return;
    case State::Lingering: m_socket->skip(m_socket->bytesAvailable()); return;
    case State::InFlight: // left in the socket until the response is written (ordering, backpressure)
    case State::Closing:
    case State::Closed: return;
    }
}

void HttpConnection::pump()
{
    while (m_state == State::Reading && m_socket) {
        if (m_parser.isIdle() && m_server->hasWebSocketPaths() && checkUpgrade() != Gate::NotUpgrade)
            return;
        if (m_socket->bytesAvailable() > 0)
            m_parser.feed(m_socket->read(kReadChunk));
        switch (m_parser.next()) {
        case HttpParser::Status::Error: failAndClose(m_parser.error()); return;
        case HttpParser::Status::Complete:
            // One request per turn; respond() queues the next pump, so a handler that answers
            // synchronously cannot recurse through a long pipeline.
            dispatch(m_parser.takeRequest());
            return;
        case HttpParser::Status::NeedMore:
            if (m_parser.awaitingBody() && m_parser.expectsContinue() && !m_continueSent) {
                m_continueSent = true;
                m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            }
            if (m_socket->bytesAvailable() == 0)
                return;
            break;
        }
    }
}

// At a request boundary: is the next request a WebSocket upgrade on one of the server's paths? It is
// only peeked; if it is, the socket goes to the QWebSocketServer with the handshake still unread.
HttpConnection::Gate HttpConnection::checkUpgrade()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return Gate::Wait;
    const QByteArray head = m_socket->peek(qMin(available, m_maxHeaderBytes + 1));
    // Only a GET can upgrade; anything else is parsed right away without waiting for its whole head.
    constexpr QByteArrayView kGet("GET ");
    const qsizetype prefix = qMin(head.size(), kGet.size());
    if (QByteArrayView(head).first(prefix) != kGet.first(prefix))
        return Gate::NotUpgrade;
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0)
        return head.size() > m_maxHeaderBytes ? Gate::NotUpgrade : Gate::Wait;

    HttpParser probe(HttpParserLimits{m_maxHeaderBytes, m_maxBodyBytes});
    probe.feed(QByteArrayView(head).first(end + 4));
    if (probe.next() != HttpParser::Status::Complete)
        return Gate::NotUpgrade; // the real parse reports the error
    const HttpRequest request = probe.takeRequest();
    if (!HttpParser::isWebSocketUpgrade(request) || !m_server->acceptsWebSocketPath(request.path))
        return Gate::NotUpgrade;
    m_server->upgrade(this, request.path);
    return Gate::HandedOff;
}

void HttpConnection::dispatch(HttpRequest request)
{
    request.peer = m_peer;
    request.secure = m_secure;
    m_continueSent = false;
    m_keepAlive = HttpParser::wantsKeepAlive(request);
    m_headRequest = request.method == "HEAD";
    m_versionMinor = request.versionMinor;

    if (m_server->acceptsWebSocketPath(request.path)) {
        // The transport answers here: the handler only ever sees plain HTTP.
        if (HttpParser::isWebSocketUpgrade(request)) {
            // Its bytes were already consumed with an earlier pipelined request, so it cannot be
            // handed to QWebSocketServer any more.
            failAndClose(HttpParseError{400, errc::kMalformedRequest, QByteArrayLiteral("pipelined_upgrade"),
                                        QStringLiteral("A WebSocket upgrade must not be pipelined")});
            return;
        }
        HttpResponse response =
            makeErrorResponse(426, errc::kMalformedRequest, QStringLiteral("This path only accepts WebSocket upgrades"),
                              {{QStringLiteral("reason"), QStringLiteral("upgrade_required")}});
        response.headers.append({QByteArrayLiteral("Upgrade"), QByteArrayLiteral("websocket")});
        const bool keepAlive = m_keepAlive && !m_closeAfterResponse && !m_server->isStopping();
        writeResponse(response, keepAlive, m_headRequest);
        if (!keepAlive) {
            closeGracefully();
            return;
        }
        m_timer.start(m_idleTimeoutMs);
        QMetaObject::invokeMethod(this, &HttpConnection::pump, Qt::QueuedConnection);
        return;
    }

    m_state = State::InFlight;
    m_timer.stop();
    m_serial = ++m_lastSerial;
    m_server->requestStarted();
    m_server->handle(std::move(request), HttpResponder(this, m_serial));
}

bool HttpConnection::respond(quint64 serial, const HttpResponse &response)
{
    if (!isOpen()) {
        m_server->responseDropped();
        return false;
    }
    if (m_state != State::InFlight || serial != m_serial) {
        qCWarning(lcHttp) << "response for a request that is not waiting; ignored";
        return false;
    }
    m_serial = 0;
    const bool keepAlive = m_keepAlive && !m_closeAfterResponse && !m_server->isStopping();
    writeResponse(response, keepAlive, m_headRequest);
    if (keepAlive) {
        m_state = State::Reading;
        m_timer.start(m_idleTimeoutMs);
        QMetaObject::invokeMethod(this, &HttpConnection::pump, Qt::QueuedConnection);
    } else {
        closeGracefully();
    }
    // Last: drained() may fire from here and its receiver may call closeAll().
    m_server->requestFinished();
    return true;
}

void HttpConnection::abandoned(quint64 serial)
{
    if (m_state != State::InFlight || serial != m_serial)
        return;
    qCWarning(lcHttp) << "handler dropped a request without answering it; sending 500";
    respond(serial, makeErrorResponse(500, errc::kInternal, QStringLiteral("The request was not answered")));
}

void HttpConnection::writeResponse(const HttpResponse &given, bool keepAlive, bool headOnly)
{
    // A 1xx as final status would desynchronise the connection.
    const bool valid = given.status >= 200 && given.status <= 599;
    if (!valid)
        qCWarning(lcHttp) << "handler returned invalid status" << given.status << "; sending 500";
    const HttpResponse response =
        valid ? given : makeErrorResponse(500, errc::kInternal, QStringLiteral("Invalid response status"));
    const bool bodyAllowed = response.status != 204 && response.status != 304;

    QByteArray out;
    out.reserve(256 + (bodyAllowed && !headOnly ? response.body.size() : 0));
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    out += "Date: " + httpDate() + "\r\n";
    if (bodyAllowed) {
        if (!response.contentType.isEmpty() && HttpParser::isFieldValue(response.contentType))
            out += "Content-Type: " + response.contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    }
    if (!keepAlive)
        out += "Connection: close\r\n";
    else if (m_versionMinor == 0)
        out += "Connection: keep-alive\r\n";
    for (const auto &[name, value] : response.headers) {
        // CR/LF in a handler-supplied header would let request data inject headers or a second response.
        if (!HttpParser::isToken(name) || !HttpParser::isFieldValue(value) || isManagedHeader(name.toLower())) {
            qCWarning(lcHttp) << "dropping invalid or transport-managed response header";
            continue;
        }
        out += name + ": " + value + "\r\n";
    }
    out += "\r\n";
    if (bodyAllowed && !headOnly)
        out += response.body;
    m_socket->write(out);
}

void HttpConnection::failAndClose(const HttpParseError &error)
{
    qCDebug(lcHttp) << "rejecting request:" << error.status << error.reason;
    m_state = State::Lingering;
    writeResponse(makeErrorResponse(error.status, error.code, error.message,
                                    {{QStringLiteral("reason"), QString::fromLatin1(error.reason)}}),
                  /*keepAlive=*/false, /*headOnly=*/false);
    m_socket->skip(m_socket->bytesAvailable());
    m_timer.start(kLingerMs);
    halfCloseWhenFlushed();
}

// In Lingering, once the error response has left our buffers: send FIN but keep reading. The client sees
// the end of the response and closes; what it still sends meanwhile is read and dropped, so our final
// close does not become an RST that could destroy the response before the client read it.
void HttpConnection::halfCloseWhenFlushed()
{
    if (m_state != State::Lingering || m_halfClosed || !m_socket)
        return;
    const auto *ssl = qobject_cast<const QSslSocket *>(m_socket.data());
    if (m_socket->bytesToWrite() > 0 || (ssl && ssl->encryptedBytesToWrite() > 0))
        return;
    m_halfClosed = true;
#ifdef Q_OS_UNIX
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#endif
}

void HttpConnection::closeGracefully()
{
    if (m_state == State::Closing || m_state == State::Closed || !m_socket)
        return;
    m_state = State::Closing;
    m_timer.start(kCloseDeadlineMs);
    m_socket->disconnectFromHost(); // may emit disconnected() right away
}

void HttpConnection::onTimeout()
{
    switch (m_state) {
    case State::Reading:
        qCDebug(lcHttp) << "closing idle connection";
        closeGracefully();
        return;
    case State::Lingering: closeGracefully(); return;
    case State::Closing:
        if (m_socket)
            m_socket->abort();
        return;
    case State::InFlight:
    case State::Closed: return;
    }
}

void HttpConnection::onDisconnected()
{
    if (m_state == State::Closed)
        return;
    const bool wasInFlight = m_state == State::InFlight;
    m_state = State::Closed;
    m_timer.stop();
    m_server->connectionClosed(this);
    if (wasInFlight)
        m_server->requestFinished(); // its response will be dropped when the handler sends it
}

void HttpConnection::shutdown()
{
    m_closeAfterResponse = true;
    if (m_state == State::Reading && m_parser.isIdle() && m_socket && m_socket->bytesAvailable() == 0)
        closeGracefully();
}

void HttpConnection::closeNow()
{
    if (m_state == State::Closed || m_state == State::Closing)
        return;
    const bool wasInFlight = m_state == State::InFlight;
    closeGracefully();
    if (wasInFlight)
        m_server->requestFinished();
}

QTcpSocket *HttpConnection::takeSocket()
{
    QTcpSocket *socket = m_socket;
    m_state = State::Closed;
    m_timer.stop();
    m_socket->disconnect(this);
    m_socket = nullptr;
    socket->setParent(nullptr);
    // QWebSocket inherits this; our cap is for HTTP heads, frame limits are the WebSocket layer's.
    socket->setReadBufferSize(0);
    return socket;
}

} // namespace atende::server::api
