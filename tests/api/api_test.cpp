// The API surface of one in-process server on a throwaway database: operational endpoints, REST through
// the operation table, WebSocket RPC (binary and JSON), the generated OpenAPI document, and hostile input.

#include "http_test_client.h"

#include "server/api/operation.h"
#include "server/core/server_application.h"
#include "tests/support/test_postgres.h"

#include "atende/api/v1/sync.pb.h"
#include "atende/api/v1/system.pb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <gtest/gtest.h>

using namespace atende;
using atende::test::httpGet;
using atende::test::httpPost;
using atende::test::rawRequest;

namespace {

class ApiTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        const server::db::DbConfig db = test::freshDatabase(QStringLiteral("api"));
        auto cfg = server::core::ServerConfig::load(
            {QStringLiteral("--database-url=") + test::databaseUrl(db), QStringLiteral("--port=0"),
             QStringLiteral("--database-workers=2"), QStringLiteral("--max-body-bytes=65536"),
             QStringLiteral("--data-dir=") + QDir::tempPath() + QStringLiteral("/atende-api-test")},
            QProcessEnvironment());
        ASSERT_TRUE(cfg.ok()) << cfg.error().message.toStdString();
        server = std::make_unique<server::core::ServerApplication>(cfg.value());
        auto st = server->start();
        ASSERT_TRUE(st.ok()) << st.error().message.toStdString();
        port = server->port();
        ASSERT_NE(port, 0);
    }
    void TearDown() override
    {
        if (server) {
            QSignalSpy stopped(server.get(), &server::core::ServerApplication::stopped);
            server->shutdown();
            EXPECT_TRUE(stopped.count() > 0 || stopped.wait(10000));
        }
    }

    std::unique_ptr<server::core::ServerApplication> server;
    quint16 port = 0;
};

// Opens a WebSocket to the API and waits for the Hello frame.
struct WsClient {
    QWebSocket ws;
    QList<QByteArray> binary;
    QList<QString> text;
    bool hello = false;

    bool open(quint16 port)
    {
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, [this](const QByteArray &b) { binary.append(b); });
        QObject::connect(&ws, &QWebSocket::textMessageReceived, [this](const QString &t) { text.append(t); });
        ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(port)));
        if (!QTest::qWaitFor([&] { return !binary.isEmpty(); }, 5000))
            return false;
        api::v1::ServerFrame f;
        hello = f.ParseFromArray(binary.first().constData(), int(binary.first().size())) && f.has_hello();
        binary.clear();
        return hello;
    }
};

} // namespace

TEST_F(ApiTest, HealthAndReadiness)
{
    const auto h = httpGet(port, "/healthz");
    EXPECT_EQ(h.status, 200);
    EXPECT_EQ(h.json().value(QStringLiteral("status")).toString(), QStringLiteral("alive"));
    const auto r = httpGet(port, "/readyz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
}

TEST_F(ApiTest, PingOverRest)
{
    const auto r = httpGet(port, "/api/v1/system/ping");
    ASSERT_EQ(r.status, 200);
    const QDateTime t =
        QDateTime::fromString(r.json().value(QStringLiteral("serverTime")).toString(), Qt::ISODateWithMs);
    EXPECT_TRUE(t.isValid());
    EXPECT_LT(qAbs(t.secsTo(QDateTime::currentDateTimeUtc())), 5);
}

TEST_F(ApiTest, InfoReportsSchemaVersion)
{
    const auto r = httpGet(port, "/api/v1/system/info");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().value(QStringLiteral("schemaVersion")).toInt(), server->schemaVersion());
    EXPECT_GE(server->schemaVersion(), 1);
    EXPECT_FALSE(r.json().value(QStringLiteral("instanceId")).toString().isEmpty());
}

TEST_F(ApiTest, EchoValidatesAndAnswers)
{
    const auto ok = httpPost(port, "/api/v1/system/echo", R"({"text":"olá","repeat":3})");
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(ok.json().value(QStringLiteral("text")).toString(), QStringLiteral("oláoláolá"));

    const auto range = httpPost(port, "/api/v1/system/echo", R"({"text":"x","repeat":1000})");
    EXPECT_EQ(range.status, 400);
    EXPECT_EQ(range.json().value(QStringLiteral("code")).toString(), QStringLiteral("invalid_argument"));
    EXPECT_EQ(range.json().value(QStringLiteral("details")).toObject().value(QStringLiteral("field")).toString(),
              QStringLiteral("repeat"));
}

TEST_F(ApiTest, MalformedBodiesGetStableErrors)
{
    struct Case {
        QByteArray body;
        QByteArray contentType;
        int status;
        const char *code;
    };
    const QList<Case> cases{
        {"{\"text\":", "application/json", 400, "malformed_json"},
        {"[1,2,3]", "application/json", 400, "malformed_json"},
        {"{\"text\":\"a\"} trailing", "application/json", 400, "malformed_json"},
        {"{\"nope\":1}", "application/json", 400, "unknown_field"},
        {"{\"repeat\":\"many\"}", "application/json", 400, "invalid_argument"},
        {"{\"text\":5}", "application/json", 400, "invalid_argument"},
        {"text=1", "application/x-www-form-urlencoded", 415, "unsupported_media_type"},
        {QByteArray("{\"text\":\"\xff\xfe\"}"), "application/json", 400, "malformed_json"},
    };
    for (const Case &c : cases) {
        const auto r = httpPost(port, "/api/v1/system/echo", c.body, c.contentType);
        EXPECT_EQ(r.status, c.status) << c.body.toStdString();
        EXPECT_EQ(r.json().value(QStringLiteral("code")).toString(), QLatin1String(c.code)) << c.body.toStdString();
        EXPECT_FALSE(r.json().value(QStringLiteral("message")).toString().isEmpty());
    }
    // Still serving afterwards.
    EXPECT_EQ(httpGet(port, "/healthz").status, 200);
}

TEST_F(ApiTest, RoutingErrors)
{
    const auto missing = httpGet(port, "/api/v1/nothing/here");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json().value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    const auto method = httpPost(port, "/api/v1/system/ping", "{}");
    EXPECT_EQ(method.status, 405);
    EXPECT_EQ(method.json().value(QStringLiteral("code")).toString(), QStringLiteral("method_not_allowed"));
    const auto query = httpGet(port, "/api/v1/system/ping?bogus=1");
    EXPECT_EQ(query.status, 400);
    EXPECT_EQ(query.json().value(QStringLiteral("code")).toString(), QStringLiteral("unknown_field"));
}

TEST_F(ApiTest, OversizedBodyIs413)
{
    const QByteArray big = "{\"text\":\"" + QByteArray(70000, 'a') + "\"}";
    const auto r = httpPost(port, "/api/v1/system/echo", big);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("payload_too_large"));
    EXPECT_EQ(httpGet(port, "/healthz").status, 200);
}

TEST_F(ApiTest, GarbageRequestLineIs400)
{
    const auto r = rawRequest(port, "\x16\x03\x01 this is not http\r\n\r\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(httpGet(port, "/healthz").status, 200);
}

TEST_F(ApiTest, OpenApiIsGeneratedFromTheTable)
{
    const auto r = httpGet(port, "/docs/json");
    ASSERT_EQ(r.status, 200);
    const QJsonObject doc = r.json();
    EXPECT_TRUE(doc.value(QStringLiteral("openapi")).toString().startsWith(QLatin1String("3.")));
    const QJsonObject paths = doc.value(QStringLiteral("paths")).toObject();
    const QJsonObject schemas =
        doc.value(QStringLiteral("components")).toObject().value(QStringLiteral("schemas")).toObject();
    int operations = 0;
    for (const server::api::Operation &op : server->operations().all()) {
        const QJsonObject o =
            paths.value(op.path).toObject().value(QString::fromLatin1(op.method.toLower())).toObject();
        EXPECT_EQ(o.value(QStringLiteral("operationId")).toString(), op.name);
        EXPECT_EQ(o.value(QStringLiteral("x-permission")).toString(), op.permission);
        // Every $ref points at a schema that exists.
        const QString ref = o.value(QStringLiteral("responses"))
                                .toObject()
                                .value(QStringLiteral("200"))
                                .toObject()
                                .value(QStringLiteral("content"))
                                .toObject()
                                .value(QStringLiteral("application/json"))
                                .toObject()
                                .value(QStringLiteral("schema"))
                                .toObject()
                                .value(QStringLiteral("$ref"))
                                .toString();
        EXPECT_TRUE(schemas.contains(ref.section(QLatin1Char('/'), -1))) << ref.toStdString();
        ++operations;
    }
    EXPECT_GE(operations, 3);
    EXPECT_TRUE(schemas.contains(QStringLiteral("atende.api.v1.Error")));
    const QJsonObject echo = schemas.value(QStringLiteral("atende.api.v1.EchoRequest")).toObject();
    EXPECT_EQ(echo.value(QStringLiteral("properties"))
                  .toObject()
                  .value(QStringLiteral("repeat"))
                  .toObject()
                  .value(QStringLiteral("type"))
                  .toString(),
              QStringLiteral("integer"));

    const auto page = httpGet(port, "/docs");
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(page.header("content-type").startsWith("text/html"));
}

TEST_F(ApiTest, MetricsArePrometheusText)
{
    ASSERT_EQ(httpGet(port, "/api/v1/system/ping").status, 200);
    const auto r = httpGet(port, "/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.header("content-type").startsWith("text/plain"));
    const QByteArray m = r.body;
    EXPECT_TRUE(m.contains("atende_api_requests_total{operation=\"system.ping\",transport=\"rest\",status=\"200\"} 1"));
    EXPECT_TRUE(m.contains(
        "atende_api_request_duration_seconds_bucket{operation=\"system.ping\",transport=\"rest\",le=\"+Inf\"} 1"));
    EXPECT_TRUE(m.contains("atende_db_workers 2"));
    EXPECT_TRUE(m.contains("atende_ws_sessions "));
    EXPECT_TRUE(m.contains("process_resident_memory_bytes "));
}

TEST_F(ApiTest, WebSocketBinaryRpc)
{
    WsClient c;
    ASSERT_TRUE(c.open(port));
    api::v1::ClientFrame frame;
    frame.set_id(42);
    frame.set_op("system.echo");
    api::v1::EchoRequest req;
    req.set_text("oi");
    req.set_repeat(2);
    frame.set_body(req.SerializeAsString());
    const std::string bytes = frame.SerializeAsString();
    c.ws.sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !c.binary.isEmpty(); }, 5000));
    api::v1::ServerFrame reply;
    ASSERT_TRUE(reply.ParseFromArray(c.binary.first().constData(), int(c.binary.first().size())));
    ASSERT_TRUE(reply.has_reply());
    EXPECT_EQ(reply.reply().id(), 42u);
    ASSERT_TRUE(reply.reply().ok());
    api::v1::EchoResponse resp;
    ASSERT_TRUE(resp.ParseFromString(reply.reply().body()));
    EXPECT_EQ(resp.text(), "oioi");

    // Errors come back as replies with the same codes as REST.
    c.binary.clear();
    req.set_repeat(500);
    frame.set_id(43);
    frame.set_body(req.SerializeAsString());
    const std::string bad = frame.SerializeAsString();
    c.ws.sendBinaryMessage(QByteArray(bad.data(), qsizetype(bad.size())));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !c.binary.isEmpty(); }, 5000));
    ASSERT_TRUE(reply.ParseFromArray(c.binary.first().constData(), int(c.binary.first().size())));
    EXPECT_EQ(reply.reply().id(), 43u);
    EXPECT_FALSE(reply.reply().ok());
    EXPECT_EQ(reply.reply().error().code(), "invalid_argument");
}

TEST_F(ApiTest, WebSocketJsonRpc)
{
    WsClient c;
    ASSERT_TRUE(c.open(port));
    c.ws.sendTextMessage(QStringLiteral(R"({"id":"7","op":"system.echo","body":{"text":"é"}})"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !c.text.isEmpty(); }, 5000));
    const QJsonObject o = QJsonDocument::fromJson(c.text.first().toUtf8()).object();
    EXPECT_EQ(o.value(QStringLiteral("id")).toString(), QStringLiteral("7"));
    EXPECT_TRUE(o.value(QStringLiteral("ok")).toBool());
    EXPECT_EQ(o.value(QStringLiteral("body")).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("é"));

    c.text.clear();
    c.ws.sendTextMessage(QStringLiteral(R"({"id":8,"op":"no.such","body":{}})"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !c.text.isEmpty(); }, 5000));
    const QJsonObject e = QJsonDocument::fromJson(c.text.first().toUtf8()).object();
    EXPECT_FALSE(e.value(QStringLiteral("ok")).toBool());
    EXPECT_EQ(e.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
              QStringLiteral("not_found"));
}

TEST_F(ApiTest, WebSocketGarbageClosesWithReason)
{
    for (const bool text : {false, true}) {
        WsClient c;
        ASSERT_TRUE(c.open(port));
        QSignalSpy closed(&c.ws, &QWebSocket::disconnected);
        if (text)
            c.ws.sendTextMessage(QStringLiteral("not json at all"));
        else
            c.ws.sendBinaryMessage(QByteArray("\xff\xff\xff\xff\x0f garbage", 14));
        ASSERT_TRUE(closed.count() > 0 || closed.wait(5000));
        EXPECT_EQ(c.ws.closeCode(), QWebSocketProtocol::CloseCodeWrongDatatype);
        EXPECT_FALSE(c.ws.closeReason().isEmpty());
    }
    EXPECT_EQ(httpGet(port, "/healthz").status, 200);
}

TEST_F(ApiTest, WebSocketOversizedMessageCloses)
{
    WsClient c;
    ASSERT_TRUE(c.open(port));
    QSignalSpy closed(&c.ws, &QWebSocket::disconnected);
    c.ws.sendBinaryMessage(QByteArray(200000, 'x'));
    ASSERT_TRUE(closed.count() > 0 || closed.wait(5000));
    EXPECT_EQ(c.ws.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    EXPECT_EQ(httpGet(port, "/healthz").status, 200);
}

TEST_F(ApiTest, ShutdownRefusesNewWorkAndClosesSockets)
{
    WsClient c;
    ASSERT_TRUE(c.open(port));
    QSignalSpy closed(&c.ws, &QWebSocket::disconnected);
    QSignalSpy stopped(server.get(), &server::core::ServerApplication::stopped);
    server->shutdown();
    ASSERT_TRUE(stopped.count() > 0 || stopped.wait(10000));
    ASSERT_TRUE(closed.count() > 0 || closed.wait(5000));
    EXPECT_EQ(c.ws.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    EXPECT_EQ(httpGet(port, "/healthz").status, 0); // listener closed
    server.reset();
}
