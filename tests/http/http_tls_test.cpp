// HttpServer with TLS (QSslServer): HTTPS requests and wss:// upgrades on the same port, with a
// certificate generated in-process for each test.

#include "server/api/http_server.h"
#include "test_certificate.h"
#include "test_client.h"

#include <QSignalSpy>
#include <QSslCipher>
#include <QSslSocket>
#include <QTest>
#include <QWebSocket>
#include <gtest/gtest.h>
#include <memory>

using namespace atende::server::api;

namespace {

class HttpTlsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!QSslSocket::supportsSsl())
            GTEST_SKIP() << "no TLS backend";
        const atende::test::TestCertificate tls = atende::test::makeSelfSignedCertificate();
        ASSERT_FALSE(tls.certificate.isNull());
        ASSERT_FALSE(tls.key.isNull());
        certificate = tls.certificate;
        HttpServerOptions options;
        options.certificate = tls.certificate;
        options.privateKey = tls.key;
        server = std::make_unique<HttpServer>(options, [this](HttpRequest request, HttpResponder responder) {
            requests.append(request);
            HttpResponse r;
            r.contentType = "text/plain";
            r.body = "secure " + request.path;
            responder.send(r);
        });
        server->setWebSocketPaths([](const QByteArray &path) { return path == "/ws"; });
        ASSERT_TRUE(server->listen(QHostAddress::LocalHost, 0)) << server->errorString().toStdString();
        port = server->port();
    }

    // A TLS client that ignores certificate verification errors, as long as they are the ones a
    // self-signed certificate can cause.
    void connectTls(QSslSocket &client)
    {
        QObject::connect(&client, &QSslSocket::sslErrors, &client, [this, &client](const QList<QSslError> &errors) {
            for (const QSslError &e : errors)
                seenErrors << e.error();
            client.ignoreSslErrors();
        });
        client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        ASSERT_TRUE(QTest::qWaitFor([&] { return client.isEncrypted(); }, 10000)) << client.errorString().toStdString();
        for (const QSslError::SslError e : std::as_const(seenErrors))
            EXPECT_TRUE(e == QSslError::SelfSignedCertificate || e == QSslError::HostNameMismatch) << int(e);
    }

    std::unique_ptr<HttpServer> server;
    QSslCertificate certificate;
    QList<HttpRequest> requests;
    QList<QSslError::SslError> seenErrors;
    quint16 port = 0;
};

} // namespace

TEST_F(HttpTlsTest, ServesHttpsWithTls12OrLater)
{
    EXPECT_TRUE(server->isTls());
    QSslSocket client;
    connectTls(client);
    ASSERT_TRUE(client.isEncrypted());
    EXPECT_TRUE(client.sessionProtocol() == QSsl::TlsV1_3 || client.sessionProtocol() == QSsl::TlsV1_2)
        << int(client.sessionProtocol());
    EXPECT_EQ(client.peerCertificate(), certificate);

    client.write("GET /a HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray pending;
    auto r = atende::test::readResponse(client, pending, 5000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "secure /a");
    // Keep-alive works over TLS too.
    client.write("GET /b HTTP/1.1\r\nHost: localhost\r\n\r\n");
    r = atende::test::readResponse(client, pending, 5000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "secure /b");
    ASSERT_EQ(requests.size(), 2);
    EXPECT_TRUE(requests[0].secure);
}

TEST_F(HttpTlsTest, RefusesTls11)
{
    QSslSocket client;
    QSslConfiguration config = client.sslConfiguration();
    // TLS 1.1 only, as an old client would offer.
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    config.setProtocol(QSsl::TlsV1_1);
    QT_WARNING_POP
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    client.setSslConfiguration(config);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    EXPECT_TRUE(QTest::qWaitFor([&] { return client.state() == QAbstractSocket::UnconnectedState; }, 10000));
    EXPECT_FALSE(client.isEncrypted());
    EXPECT_TRUE(requests.isEmpty());
}

TEST_F(HttpTlsTest, PlainHttpOnTheTlsPortIsNotServed)
{
    QTcpSocket client;
    ASSERT_TRUE(atende::test::connectLocal(client, port));
    client.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_TRUE(atende::test::waitForClosed(client, 10000));
    EXPECT_TRUE(requests.isEmpty());
    EXPECT_EQ(server->openConnections(), 0);
}

TEST_F(HttpTlsTest, WssUpgradeOnTheSamePort)
{
    QList<QByteArray> paths;
    QObject::connect(server.get(), &HttpServer::newWebSocket, server.get(),
                     [&paths](QWebSocket *socket, const QByteArray &path, const QHostAddress &) {
                         paths << path;
                         QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                                          [socket](const QByteArray &data) { socket->sendBinaryMessage(data + data); });
                     });
    QWebSocket client;
    QObject::connect(&client, &QWebSocket::sslErrors, &client,
                     [&client](const QList<QSslError> &) { client.ignoreSslErrors(); });
    QSignalSpy received(&client, &QWebSocket::binaryMessageReceived);
    client.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/ws").arg(port)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return client.state() == QAbstractSocket::ConnectedState; }, 10000))
        << client.errorString().toStdString();
    EXPECT_FALSE(client.sslConfiguration().sessionCipher().isNull()); // really encrypted
    client.sendBinaryMessage(QByteArray("ab\0c", 4));
    ASSERT_TRUE(received.wait(5000));
    EXPECT_EQ(received.at(0).at(0).toByteArray(), QByteArray("ab\0cab\0c", 8));
    ASSERT_EQ(paths.size(), 1);
    EXPECT_EQ(paths[0], "/ws");
    EXPECT_TRUE(requests.isEmpty());

    // HTTPS next to it still works.
    QSslSocket https;
    connectTls(https);
    https.write("GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray pending;
    const auto r = atende::test::readResponse(https, pending, 5000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "secure /after");
}
