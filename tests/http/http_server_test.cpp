// HttpServer over real sockets on 127.0.0.1: keep-alive, ordering, limits, clients that leave early,
// WebSocket upgrade on the same port, graceful shutdown.

#include "server/api/http_server.h"
#include "test_client.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <gtest/gtest.h>
#include <memory>

using namespace atende::server::api;
using atende::test::RawResponse;

namespace {

// Every request is answered by `onRequest` (set per test); the default echoes method, path and body.
class HttpServerTest : public ::testing::Test {
protected:
    void start(HttpServerOptions options = {})
    {
        m_server =
            std::make_unique<HttpServer>(std::move(options), [this](HttpRequest request, HttpResponder responder) {
                requests.append(request);
                onRequest(std::move(request), std::move(responder));
            });
        ASSERT_TRUE(m_server->listen(QHostAddress::LocalHost, 0)) << m_server->errorString().toStdString();
        port = m_server->port();
        ASSERT_NE(port, 0);
    }

    static HttpResponse echo(const HttpRequest &request)
    {
        HttpResponse r;
        r.contentType = "text/plain";
        r.body = request.method + ' ' + request.path + (request.body.isEmpty() ? QByteArray() : ' ' + request.body);
        return r;
    }

    static QJsonObject errorBody(const RawResponse &r) { return QJsonDocument::fromJson(r.body).object(); }

    HttpServer &server() { return *m_server; }

    std::function<void(HttpRequest, HttpResponder)> onRequest = [](HttpRequest request, HttpResponder responder) {
        responder.send(echo(request));
    };
    QList<HttpRequest> requests;
    quint16 port = 0;

private:
    std::unique_ptr<HttpServer> m_server;
};

const QByteArray kGet = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

} // namespace

TEST_F(HttpServerTest, AnswersAPlainRequest)
{
    start();
    const auto r = atende::test::fetch(port, kGet);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "GET /hello");
    EXPECT_EQ(r->header("content-type"), "text/plain");
    EXPECT_EQ(r->header("content-length"), "10");
    EXPECT_TRUE(r->header("date").endsWith(" GMT"));
    ASSERT_EQ(requests.size(), 1);
    EXPECT_EQ(requests[0].peer, QHostAddress(QHostAddress::LocalHost));
    EXPECT_FALSE(requests[0].secure);
}

TEST_F(HttpServerTest, KeepAliveServesSequentialRequestsOnOneSocket)
{
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    QByteArray pending;

    client.write(kGet);
    auto first = atende::test::readResponse(client, pending);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(first->body, "GET /hello");
    EXPECT_TRUE(first->header("connection").isEmpty()); // keep-alive is the HTTP/1.1 default

    client.write("POST /second HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nbody");
    auto second = atende::test::readResponse(client, pending);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 200);
    EXPECT_EQ(second->body, "POST /second body");

    EXPECT_EQ(client.state(), QAbstractSocket::ConnectedState);
    EXPECT_EQ(server().openConnections(), 1);
    EXPECT_EQ(requests.size(), 2);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder)
{
    QStringList events;
    onRequest = [&events](HttpRequest request, HttpResponder responder) {
        events << QString::fromLatin1("start " + request.path);
        // The first answers late, the second at once: the second must still come second.
        const int delay = request.path == "/slow" ? 150 : 0;
        QTimer::singleShot(delay, [request, responder, &events] {
            events << QString::fromLatin1("answer " + request.path);
            responder.send(echo(request));
        });
    };
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write("GET /slow HTTP/1.1\r\nHost: h\r\n\r\nGET /fast HTTP/1.1\r\nHost: h\r\n\r\n");
    QByteArray pending;
    auto first = atende::test::readResponse(client, pending);
    auto second = atende::test::readResponse(client, pending);
    ASSERT_TRUE(first);
    ASSERT_TRUE(second);
    EXPECT_EQ(first->body, "GET /slow");
    EXPECT_EQ(second->body, "GET /fast");
    // One request at a time: /fast reached the handler only after /slow was answered.
    EXPECT_EQ(events, QStringList({QStringLiteral("start /slow"), QStringLiteral("answer /slow"),
                                   QStringLiteral("start /fast"), QStringLiteral("answer /fast")}));
}

TEST_F(HttpServerTest, ResponseToAClientThatLeftIsDroppedSafely)
{
    std::optional<bool> sent;
    onRequest = [&sent](HttpRequest request, HttpResponder responder) {
        if (request.path == "/late") {
            QTimer::singleShot(300, [responder, &sent] { sent = responder.send(HttpResponse::json(200, "{}")); });
            return;
        }
        responder.send(echo(request));
    };
    start();
    {
        QTcpSocket client;
        ASSERT_TRUE(atende::test::connectLocal(client, port));
        client.write("GET /late HTTP/1.1\r\nHost: h\r\n\r\n");
        ASSERT_TRUE(QTest::qWaitFor([&] { return server().inFlight() == 1; }, 2000));
        QTest::qWait(50);
        client.abort(); // the client gives up after 50 ms
    }
    // The server notices the close before the handler answers.
    ASSERT_TRUE(QTest::qWaitFor([&] { return server().openConnections() == 0; }, 2000));
    EXPECT_EQ(server().inFlight(), 0);
    EXPECT_FALSE(sent.has_value());

    ASSERT_TRUE(QTest::qWaitFor([&] { return sent.has_value(); }, 2000));
    EXPECT_FALSE(*sent);
    EXPECT_EQ(server().droppedResponses(), 1);

    // And the server goes on serving new clients.
    const auto r = atende::test::fetch(port, kGet);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "GET /hello");
    EXPECT_EQ(server().droppedResponses(), 1);
}

TEST_F(HttpServerTest, SecondSendIsIgnored)
{
    std::optional<bool> firstSent, secondSent;
    onRequest = [&](HttpRequest request, HttpResponder responder) {
        const HttpResponder copy = responder;
        firstSent = responder.send(echo(request));
        secondSent = copy.send(HttpResponse::json(500, "{}"));
    };
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write(kGet);
    QByteArray pending;
    const auto r = atende::test::readResponse(client, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(firstSent, true);
    EXPECT_EQ(secondSent, false);
    EXPECT_EQ(server().droppedResponses(), 0);
    QTest::qWait(50);
    client.readAll();
    EXPECT_TRUE(pending.isEmpty()); // nothing after the one response
}

TEST_F(HttpServerTest, AbandonedRequestGets500)
{
    onRequest = [](HttpRequest, HttpResponder) {
    }; // forgets the responder
    start();
    const auto r = atende::test::fetch(port, kGet);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_EQ(errorBody(*r).value(QStringLiteral("code")).toString(), QStringLiteral("internal"));
    EXPECT_EQ(server().inFlight(), 0);
}

TEST_F(HttpServerTest, InvalidStatusAndInjectedHeadersAreNotWritten)
{
    onRequest = [](HttpRequest request, HttpResponder responder) {
        HttpResponse r = echo(request);
        r.headers.append(qMakePair(QByteArray("X-Ok"), QByteArray("yes")));
        r.headers.append(qMakePair(QByteArray("X-Evil"), QByteArray("a\r\nSet-Cookie: stolen=1")));
        r.headers.append(qMakePair(QByteArray("Content-Length"), QByteArray("999")));
        if (request.path == "/bad-status")
            r.status = 101;
        responder.send(r);
    };
    start();
    auto r = atende::test::fetch(port, kGet);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("x-ok"), "yes");
    EXPECT_TRUE(r->header("x-evil").isEmpty());
    EXPECT_TRUE(r->header("set-cookie").isEmpty());
    EXPECT_EQ(r->header("content-length"), "10");

    r = atende::test::fetch(port, "GET /bad-status HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
}

TEST_F(HttpServerTest, HeadHasLengthButNoBody)
{
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\n\r\n");
    QByteArray pending;
    const auto head = atende::test::readResponse(client, pending, 5000, /*headRequest=*/true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->header("content-length"), "7"); // "HEAD /x"
    EXPECT_TRUE(head->body.isEmpty());
    const auto get = atende::test::readResponse(client, pending);
    ASSERT_TRUE(get);
    EXPECT_EQ(get->body, "GET /y"); // the HEAD response had no stray body bytes
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured)
{
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    QByteArray pending;
    const auto r = atende::test::readResponse(client, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(atende::test::waitForClosed(client));
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAliveAsked)
{
    start();
    {
        QTcpSocket client;
        ASSERT_TRUE(atende::test::connectLocal(client, port));
        client.write("GET /x HTTP/1.0\r\n\r\n");
        QByteArray pending;
        const auto r = atende::test::readResponse(client, pending);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header("connection"), "close");
        EXPECT_TRUE(atende::test::waitForClosed(client));
    }
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QByteArray pending;
    const auto r = atende::test::readResponse(client, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("connection"), "keep-alive");
    QTest::qWait(50);
    EXPECT_EQ(client.state(), QAbstractSocket::ConnectedState);
}

TEST_F(HttpServerTest, ExpectContinueGetsInterimResponse)
{
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write("PUT /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
    QByteArray pending;
    const auto interim = atende::test::readResponse(client, pending);
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    EXPECT_TRUE(requests.isEmpty());
    client.write("abc");
    const auto r = atende::test::readResponse(client, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "PUT /up abc");
}

struct LimitCase {
    const char *name;
    QByteArray request;
    int status;
    const char *code;
    const char *reason;
};

// Named in test output by its case name (and gtest does not dump the struct's raw bytes, padding included).
void PrintTo(const LimitCase &c, std::ostream *os)
{
    *os << c.name;
}

class HttpServerLimits : public HttpServerTest, public ::testing::WithParamInterface<LimitCase> {};

TEST_P(HttpServerLimits, AnswerWithJsonErrorAndClose)
{
    HttpServerOptions options;
    options.maxHeaderBytes = 2048;
    options.maxBodyBytes = 1000;
    start(options);
    const LimitCase &c = GetParam();

    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write(c.request);
    QByteArray pending;
    const auto r = atende::test::readResponse(client, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status);
    EXPECT_EQ(r->header("content-type"), "application/json");
    EXPECT_EQ(r->header("connection"), "close");
    const QJsonObject body = errorBody(*r);
    EXPECT_EQ(body.value(QStringLiteral("code")).toString(), QString::fromLatin1(c.code));
    EXPECT_FALSE(body.value(QStringLiteral("message")).toString().isEmpty());
    ASSERT_TRUE(body.value(QStringLiteral("details")).isObject());
    EXPECT_EQ(body.value(QStringLiteral("details")).toObject().value(QStringLiteral("reason")).toString(),
              QString::fromLatin1(c.reason));
    EXPECT_TRUE(atende::test::waitForClosed(client));
    EXPECT_TRUE(requests.isEmpty()); // the handler never saw it
    EXPECT_EQ(server().inFlight(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Transport, HttpServerLimits,
    ::testing::Values(
        LimitCase{"bad_request_line", "GET /x\r\nHost: h\r\n\r\n", 400, "malformed_request", "bad_request_line"},
        LimitCase{"garbage", "\x16\x03\x01\x02 nonsense\r\n\r\n", 400, "malformed_request", "bad_request_line"},
        LimitCase{"bad_header", "GET / HTTP/1.1\r\nHost h\r\n\r\n", 400, "malformed_request", "bad_header"},
        LimitCase{"chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                  411, "malformed_request", "length_required"},
        // The client is still sending its body when the 413 goes out; the linger keeps it readable.
        LimitCase{"body_too_large",
                  "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 500000\r\n\r\n" + QByteArray(200000, 'x'), 413,
                  "payload_too_large", "body_too_large"},
        LimitCase{"headers_too_large", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + QByteArray(4000, 'a') + "\r\n\r\n", 431,
                  "payload_too_large", "headers_too_large"},
        LimitCase{"unknown_method", "BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n", 501, "method_not_allowed",
                  "method_not_implemented"}),
    [](const ::testing::TestParamInfo<LimitCase> &info) { return std::string(info.param.name); });

TEST_F(HttpServerTest, IdleConnectionIsClosed)
{
    HttpServerOptions options;
    options.idleTimeoutMs = 200;
    start(options);
    QTcpSocket idle;
    ASSERT_TRUE(atende::test::connectLocal(idle, port));
    // A slow client trickling a head does not reset the timer either.
    QTcpSocket trickle;
    ASSERT_TRUE(atende::test::connectLocal(trickle, port));
    QTimer drip;
    QObject::connect(&drip, &QTimer::timeout, &trickle, [&trickle] { trickle.write("X"); });
    trickle.write("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ");
    drip.start(20);

    ASSERT_TRUE(QTest::qWaitFor([&] { return server().openConnections() == 2; }, 2000));
    QElapsedTimer timer;
    timer.start();
    EXPECT_TRUE(atende::test::waitForClosed(idle, 3000));
    EXPECT_TRUE(atende::test::waitForClosed(trickle, 3000));
    EXPECT_GE(timer.elapsed(), 100);
    EXPECT_TRUE(QTest::qWaitFor([&] { return server().openConnections() == 0; }, 2000));
    EXPECT_TRUE(requests.isEmpty());
}

TEST_F(HttpServerTest, KeepAliveConnectionIsClosedAfterIdleTimeout)
{
    HttpServerOptions options;
    options.idleTimeoutMs = 1000;
    start(options);
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    QByteArray pending;
    client.write(kGet);
    ASSERT_TRUE(atende::test::readResponse(client, pending));
    QTest::qWait(500);
    // Still open mid-way; a request restarts the clock.
    ASSERT_EQ(client.state(), QAbstractSocket::ConnectedState);
    client.write(kGet);
    ASSERT_TRUE(atende::test::readResponse(client, pending));
    QTest::qWait(600);
    EXPECT_EQ(client.state(), QAbstractSocket::ConnectedState);
    EXPECT_TRUE(atende::test::waitForClosed(client, 2000));
}

TEST_F(HttpServerTest, ConnectionLimitRejectsExtraClients)
{
    HttpServerOptions options;
    options.maxConnections = 1;
    start(options);
    QTcpSocket first;
    ASSERT_TRUE(atende::test::connectLocal(first, port));
    ASSERT_TRUE(QTest::qWaitFor([&] { return server().openConnections() == 1; }, 2000));
    QTcpSocket second;
    ASSERT_TRUE(atende::test::connectLocal(second, port)); // the kernel accepts, the server then drops it
    EXPECT_TRUE(atende::test::waitForClosed(second));
    first.write(kGet);
    QByteArray pending;
    const auto r = atende::test::readResponse(first, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServerTest, WebSocketUpgradeOnTheSamePort)
{
    start();
    server().setWebSocketPaths([](const QByteArray &path) { return path == "/ws"; });
    QList<QByteArray> paths;
    QList<QHostAddress> peers;
    QObject::connect(&server(), &HttpServer::newWebSocket, &server(),
                     [&](QWebSocket *socket, const QByteArray &path, const QHostAddress &peer) {
                         paths << path;
                         peers << peer;
                         QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                          [socket](const QString &text) {
                                              socket->sendTextMessage(QStringLiteral("echo:") + text);
                                          });
                     });

    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws?token=abc").arg(port)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return client.state() == QAbstractSocket::ConnectedState; }, 5000));
    client.sendTextMessage(QStringLiteral("hello"));
    ASSERT_TRUE(received.wait(5000));
    EXPECT_EQ(received.at(0).at(0).toString(), QStringLiteral("echo:hello"));
    ASSERT_EQ(paths.size(), 1);
    EXPECT_EQ(paths[0], "/ws");
    EXPECT_EQ(peers[0], QHostAddress(QHostAddress::LocalHost));
    EXPECT_TRUE(requests.isEmpty()); // the handler never saw the upgrade
    EXPECT_EQ(server().openConnections(), 0);

    // Plain HTTP still works next to it.
    const auto r = atende::test::fetch(port, kGet);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);

    // A second WebSocket, and the first one is still alive.
    QWebSocket second;
    QSignalSpy secondReceived(&second, &QWebSocket::textMessageReceived);
    second.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return second.state() == QAbstractSocket::ConnectedState; }, 5000));
    second.sendTextMessage(QStringLiteral("two"));
    client.sendTextMessage(QStringLiteral("one"));
    ASSERT_TRUE(secondReceived.wait(5000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() == 2; }, 5000));
    EXPECT_EQ(secondReceived.at(0).at(0).toString(), QStringLiteral("echo:two"));
    EXPECT_EQ(received.at(1).at(0).toString(), QStringLiteral("echo:one"));
}

TEST_F(HttpServerTest, WebSocketHandshakeSplitAcrossWrites)
{
    start();
    server().setWebSocketPaths([](const QByteArray &path) { return path == "/ws"; });
    QSignalSpy newSocket(&server(), &HttpServer::newWebSocket);
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    const QByteArray handshake = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    for (qsizetype i = 0; i < handshake.size(); i += 7) {
        client.write(handshake.mid(i, 7));
        client.flush();
        QTest::qWait(2);
    }
    QByteArray pending;
    const auto r = atende::test::readResponse(client, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 101);
    EXPECT_EQ(r->header("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 §1.3 example
    EXPECT_TRUE(QTest::qWaitFor([&] { return newSocket.size() == 1; }, 2000));
    EXPECT_TRUE(requests.isEmpty());
}

TEST_F(HttpServerTest, PlainGetOnWebSocketPathIs426)
{
    start();
    server().setWebSocketPaths([](const QByteArray &path) { return path == "/ws"; });
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write("GET /ws HTTP/1.1\r\nHost: h\r\n\r\n");
    QByteArray pending;
    const auto r = atende::test::readResponse(client, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 426);
    EXPECT_EQ(r->header("upgrade"), "websocket");
    EXPECT_EQ(errorBody(*r).value(QStringLiteral("code")).toString(), QStringLiteral("malformed_request"));
    EXPECT_TRUE(requests.isEmpty());

    // The connection stays usable for normal requests.
    client.write(kGet);
    const auto next = atende::test::readResponse(client, pending);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, UpgradeOnOtherPathIsPlainHttp)
{
    start();
    server().setWebSocketPaths([](const QByteArray &path) { return path == "/ws"; });
    QSignalSpy newSocket(&server(), &HttpServer::newWebSocket);
    const auto r = atende::test::fetch(port, "GET /other HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                                             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                             "Sec-WebSocket-Version: 13\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "GET /other");
    EXPECT_EQ(newSocket.size(), 0);
}

TEST_F(HttpServerTest, StopAcceptingDrainsTheRequestInFlight)
{
    std::optional<HttpResponder> held;
    onRequest = [&held](HttpRequest request, HttpResponder responder) {
        if (request.path == "/slow")
            held = responder;
        else
            responder.send(echo(request));
    };
    start();
    QSignalSpy drained(&server(), &HttpServer::drained);

    QTcpSocket idleKeepAlive; // has finished a request and waits: closed at once
    ASSERT_TRUE(atende::test::connectLocal(idleKeepAlive, port));
    QByteArray idlePending;
    idleKeepAlive.write(kGet);
    ASSERT_TRUE(atende::test::readResponse(idleKeepAlive, idlePending));

    QTcpSocket busy;
    ASSERT_TRUE(atende::test::connectLocal(busy, port));
    busy.write("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_TRUE(QTest::qWaitFor([&] { return server().inFlight() == 1; }, 2000));

    server().stopAccepting();
    EXPECT_TRUE(atende::test::waitForClosed(idleKeepAlive, 2000));

    // No new connections.
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, port);
    EXPECT_TRUE(QTest::qWaitFor([&] { return late.state() == QAbstractSocket::UnconnectedState; }, 2000));
    EXPECT_EQ(late.error(), QAbstractSocket::ConnectionRefusedError);

    QTest::qWait(100);
    EXPECT_EQ(drained.size(), 0); // still one in flight
    EXPECT_EQ(server().inFlight(), 1);

    ASSERT_TRUE(held);
    EXPECT_TRUE(held->isConnected());
    EXPECT_TRUE(held->send(HttpResponse::json(200, "{\"late\":true}")));
    EXPECT_EQ(drained.size(), 1);
    EXPECT_EQ(server().inFlight(), 0);

    QByteArray pending;
    const auto r = atende::test::readResponse(busy, pending);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{\"late\":true}");
    EXPECT_EQ(r->header("connection"), "close"); // no further requests while stopping
    EXPECT_TRUE(atende::test::waitForClosed(busy));

    server().closeAll();
    EXPECT_TRUE(QTest::qWaitFor([&] { return server().openConnections() == 0; }, 2000));
    QTest::qWait(20);
    EXPECT_EQ(drained.size(), 1); // exactly once
    EXPECT_EQ(server().droppedResponses(), 0);
}

TEST_F(HttpServerTest, StopAcceptingWithNothingInFlightDrainsRightAway)
{
    start();
    QSignalSpy drained(&server(), &HttpServer::drained);
    server().stopAccepting();
    EXPECT_EQ(drained.size(), 0); // queued, so receivers connected after the call still get it
    EXPECT_TRUE(drained.wait(1000));
    EXPECT_EQ(drained.size(), 1);
}

TEST_F(HttpServerTest, CloseAllDropsInFlightResponses)
{
    std::optional<HttpResponder> held;
    onRequest = [&held](HttpRequest, HttpResponder responder) {
        held = responder;
    };
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write(kGet);
    ASSERT_TRUE(QTest::qWaitFor([&] { return server().inFlight() == 1; }, 2000));
    server().stopAccepting();
    server().closeAll();
    EXPECT_EQ(server().inFlight(), 0);
    EXPECT_TRUE(atende::test::waitForClosed(client));
    ASSERT_TRUE(held);
    EXPECT_FALSE(held->isConnected());
    EXPECT_FALSE(held->send(HttpResponse::json(200, "{}")));
    EXPECT_EQ(server().droppedResponses(), 1);
}

TEST_F(HttpServerTest, DestroyingTheServerWithRequestsInFlightIsSafe)
{
    std::optional<HttpResponder> held;
    onRequest = [&held](HttpRequest, HttpResponder responder) {
        held = responder;
    };
    start();
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write(kGet);
    ASSERT_TRUE(QTest::qWaitFor([&] { return held.has_value(); }, 2000));
    auto *ws = new QWebSocket; // a connected WebSocket too, owned by the server
    server().setWebSocketPaths([](const QByteArray &) { return true; });
    QObject::connect(&server(), &HttpServer::newWebSocket, &server(),
                     [](QWebSocket *, const QByteArray &, const QHostAddress &) {});
    ws->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/any").arg(port)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return ws->state() == QAbstractSocket::ConnectedState; }, 5000));

    // Destroy via a fresh fixture start: the old server goes away here.
    start();
    EXPECT_FALSE(held->isConnected());
    EXPECT_FALSE(held->send(HttpResponse::json(200, "{}")));
    EXPECT_TRUE(atende::test::waitForClosed(client));
    EXPECT_TRUE(QTest::qWaitFor([&] { return ws->state() == QAbstractSocket::UnconnectedState; }, 5000));
    delete ws;
}
