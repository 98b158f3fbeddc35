#pragma once
// A small HTTP/1.1 server on QTcpServer / QSslServer that also upgrades to WebSocket on the same port.
//
// Why our own: QHttpServer 6.4 writes async responses into freed sockets when the client has gone
// (TOOLCHAIN.md §7, 15). Here every response goes through an HttpResponder that holds a QPointer to its
// connection: answering a request whose client left is a counted no-op, never a crash.
//
// Behaviour:
//  * keep-alive (HTTP/1.1 default, "Connection: close" honoured), one request at a time per connection
//    (pipelined requests wait until the previous response is written, so responses stay in order);
//  * limits: request line + headers <= maxHeaderBytes (431 otherwise), body <= maxBodyBytes (413),
//    Content-Length required for bodies (411 for Transfer-Encoding: chunked), malformed request line or
//    header -> 400, unknown method or transfer coding -> 501, HTTP/2+ request line -> 505; each of
//    these answers with the JSON error body {code,message,details}, details.reason saying which, and
//    closes (see HttpParser for the exact rules);
//  * a request must arrive completely within idleTimeoutMs of the connection becoming idle (partial
//    input does not restart the clock), otherwise the connection is closed;
//  * a GET with "Upgrade: websocket" on a path accepted by the WebSocket predicate is handed, unread,
//    to an internal QWebSocketServer (handleConnection) and surfaces through newWebSocket(); any other
//    request on such a path gets 426 from the transport and never reaches the handler;
//  * TLS when a certificate and key are configured (TLS 1.2 minimum, 1.3 preferred).
//  * stopAccepting() closes the listener and idle keep-alive connections; requests already received
//    are still served, with "Connection: close". inFlight() counts requests given to the handler whose
//    response is not yet handed to the socket; drained() fires once when it reaches 0 after
//    stopAccepting(). Then closeAll().
#include "server/api/http_types.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QSslKey>
#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace atende::server::api {

class HttpConnection;

struct HttpServerOptions {
    qint64 maxHeaderBytes = 16 * 1024;
    qint64 maxBodyBytes = 1024 * 1024;
    int idleTimeoutMs = 60'000;
    int maxConnections = 20'000; // open HTTP connections; upgraded WebSockets no longer count
    // TLS on when both are set. (Spelled-out initialisers keep HttpServerOptions{} free of
    // QSslCertificate's explicit default constructor.)
    QSslCertificate certificate = QSslCertificate();
    QList<QSslCertificate> chain;
    QSslKey privateKey = QSslKey();
};

// Handle to answer one request, possibly later (after co_await). Copyable; the first send() wins.
// Use it on the server's thread only. If every copy is destroyed without send(), the transport answers
// 500 itself, so a forgetful handler cannot leave the client (and drained()) waiting forever.
class HttpResponder {
public:
    HttpResponder() = default;
    HttpResponder(QPointer<HttpConnection> connection, quint64 requestSerial);
    // Writes the response if the connection is still there and this request is still the one waiting.
    // Returns false when the client has gone (the response is dropped and counted).
    bool send(const HttpResponse &response) const;
    bool isConnected() const;

private:
    struct Ticket; // shared by the copies: connection, serial, answered flag
    std::shared_ptr<Ticket> m_ticket;
};

class HttpServer : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<void(HttpRequest, HttpResponder)>;
    using WebSocketPathPredicate = std::function<bool(const QByteArray &path)>;

    HttpServer(HttpServerOptions options, Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    void setWebSocketPaths(WebSocketPathPredicate accept);

    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    bool isTls() const;
    QString errorString() const;

    void stopAccepting();
    // Closes every HTTP connection (in-flight responses are then dropped) — call after draining.
    // Bytes already written are still flushed before each socket closes.
    void closeAll();
    int inFlight() const { return m_inFlight; }
    int openConnections() const;
    qint64 droppedResponses() const { return m_dropped; }

Q_SIGNALS:
    // After a completed handshake. `socket` is a child of this server until the receiver reparents or
    // deletes it; with no receiver connected it is closed. `path` is percent-decoded, like
    // HttpRequest::path; the query (e.g. a token) is in socket->requestUrl().
    void newWebSocket(QWebSocket *socket, const QByteArray &path, const QHostAddress &peer);
    void drained();

private:
    friend class HttpConnection;
    friend class HttpResponder;
    void onNewConnection();
    void onWebSocketReady();
    void requestStarted() { ++m_inFlight; }
    void requestFinished();
    void responseDropped() { ++m_dropped; }
    void upgrade(HttpConnection *connection, const QByteArray &path);
    void handle(HttpRequest request, HttpResponder responder);
    void connectionClosed(HttpConnection *connection);
    void emitDrainedOnce();
    bool isStopping() const { return m_stopping; }
    bool hasWebSocketPaths() const { return bool(m_wsPaths); }
    bool acceptsWebSocketPath(const QByteArray &path) const { return m_wsPaths && m_wsPaths(path); }

    HttpServerOptions m_options;
    Handler m_handler;
    WebSocketPathPredicate m_wsPaths;
    QTcpServer *m_listener = nullptr;
    QWebSocketServer *m_wsServer = nullptr;
    QSet<HttpConnection *> m_connections;
    QString m_errorString;
    quint16 m_port = 0;
    int m_inFlight = 0;
    qint64 m_dropped = 0;
    qint64 m_rejected = 0;
    bool m_stopping = false;
    bool m_drainedEmitted = false;
};

} // namespace atende::server::api
