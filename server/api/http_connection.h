#pragma once
// One accepted HTTP connection of HttpServer (internal to the transport).
//
// It reads requests with HttpParser and gives them to the server's handler one at a time: while a
// request waits for its response the socket is not read at all, so pipelined requests stay in the
// kernel / socket buffer and responses leave in order, and a client cannot make us buffer unbounded
// input (the socket's read buffer is capped). At each request boundary it peeks at the socket to see
// whether the next request is a WebSocket upgrade; if so the socket is handed over unread (HttpServer::
// upgrade) because QWebSocketServer::handleConnection() wants to read the handshake itself.

#include "server/api/http_parser.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace atende::server::api {

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

class HttpServer;
struct HttpServerOptions;

// The API's error body {"code","message","details"} as a response.
HttpResponse makeErrorResponse(int status, const char *code, const QString &message, const QJsonObject &details = {});

class HttpConnection : public QObject {
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server, const HttpServerOptions &options);
    ~HttpConnection() override;

    HttpServer *server() const { return m_server; }
    // Whether the client is still there and a response could still be written.
    bool isOpen() const;
    // Writes the response to request `serial`. False (and counted as dropped) when the connection is
    // closing or gone; false without counting when `serial` is not the request waiting for an answer.
    bool respond(quint64 serial, const HttpResponse &response);
    // The last HttpResponder copy of `serial` went away unanswered: answer 500 so the client and
    // drained() do not wait forever.
    void abandoned(quint64 serial);

    // Graceful: an idle connection closes now, a busy one after its current response.
    void shutdown();
    // Immediate: stops reading, flushes what was written, then closes; an in-flight request is dropped.
    void closeNow();

private:
    friend class HttpServer;
    enum class State {
        Reading,   // waiting for / receiving a request
        InFlight,  // a request is with the handler
        Lingering, // an error response was written; input is discarded for a moment before closing
        Closing,   // disconnectFromHost() called, waiting for the socket to go
        Closed,
    };
    enum class Gate { Wait, NotUpgrade, HandedOff };

    void onReadyRead();
    void onDisconnected();
    void onTimeout();
    void pump();
    Gate checkUpgrade();
    void dispatch(HttpRequest request);
    void writeResponse(const HttpResponse &response, bool keepAlive, bool headOnly);
    void failAndClose(const HttpParseError &error);
    void halfCloseWhenFlushed();
    void closeGracefully();
    // For HttpServer::upgrade(): detaches the socket from this connection, which is then finished.
    QTcpSocket *takeSocket();

    QPointer<QTcpSocket> m_socket;
    HttpServer *m_server; // owns this connection
    HttpParser m_parser;
    QTimer m_timer; // idle timeout, linger period or close deadline, depending on m_state
    QHostAddress m_peer;
    qint64 m_maxHeaderBytes;
    qint64 m_maxBodyBytes;
    int m_idleTimeoutMs;
    State m_state = State::Reading;
    bool m_secure = false;
    bool m_closeAfterResponse = false;
    bool m_continueSent = false;
    bool m_halfClosed = false;
    // Of the request in flight:
    quint64 m_serial = 0;
    quint64 m_lastSerial = 0;
    bool m_keepAlive = true;
    bool m_headRequest = false;
    int m_versionMinor = 1;
};

} // namespace atende::server::api
