// The operation table, the JSON codec and the OpenAPI generator, without sockets.

#include "server/api/dispatcher.h"
#include "server/api/json_codec.h"
#include "server/api/metrics.h"
#include "server/api/openapi.h"
#include "server/api/operation.h"
#include "server/api/system_operations.h"

#include "atende/api/v1/system.pb.h"

#include "tests/support/await.h"
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace atende::server::api;
namespace v1 = atende::api::v1;

namespace {
Operation op(const char *name, const char *method, const char *path, const char *permission = "public")
{
    return makeOperation<v1::EchoRequest, v1::EchoResponse>(
        QLatin1String(name), method, QLatin1String(path), QLatin1String(permission), {},
        [](CallContext, v1::EchoRequest r) -> QCoro::Task<atende::core::Result<v1::EchoResponse>> {
            v1::EchoResponse out;
            out.set_text(r.text());
            co_return out;
        });
}
} // namespace

TEST(OperationTable, RejectsDuplicatesAndMissingPermission)
{
    OperationTable t;
    EXPECT_TRUE(t.add(op("a.get", "GET", "/api/v1/a/{text}")));
    EXPECT_FALSE(t.add(op("a.get", "POST", "/api/v1/other")));     // same name
    EXPECT_FALSE(t.add(op("a.other", "GET", "/api/v1/a/{text}"))); // same route
    EXPECT_FALSE(t.add(op("b.x", "GET", "/api/v1/b", "")));        // no permission
    EXPECT_EQ(t.all().size(), 1);
}

TEST(OperationTable, MatchesPathParametersAndReportsWrongMethod)
{
    OperationTable t;
    ASSERT_TRUE(t.add(op("a.get", "GET", "/api/v1/a/{text}")));
    ASSERT_TRUE(t.add(op("a.list", "GET", "/api/v1/a")));
    QMap<QString, QString> params;
    bool mismatch = false;
    const Operation *o = t.match("GET", "/api/v1/a/xyz", &params, &mismatch);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->name, QStringLiteral("a.get"));
    EXPECT_EQ(params.value(QStringLiteral("text")), QStringLiteral("xyz"));
    EXPECT_EQ(t.match("DELETE", "/api/v1/a/xyz", &params, &mismatch), nullptr);
    EXPECT_TRUE(mismatch);
    mismatch = false;
    EXPECT_EQ(t.match("GET", "/api/v1/a/xyz/more", &params, &mismatch), nullptr);
    EXPECT_FALSE(mismatch);
    EXPECT_EQ(t.match("GET", "/api/v1/a/", &params, &mismatch), nullptr);
}

TEST(JsonCodec, BindsParametersByType)
{
    v1::EchoRequest r;
    EXPECT_TRUE(
        bindParameters(
            {{QStringLiteral("text"), QStringLiteral("olá")}, {QStringLiteral("repeat"), QStringLiteral("3")}}, &r)
            .ok());
    EXPECT_EQ(r.text(), "olá");
    EXPECT_EQ(r.repeat(), 3);
    auto bad = bindParameters({{QStringLiteral("repeat"), QStringLiteral("three")}}, &r);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, QStringLiteral("invalid_argument"));
    auto unknown = bindParameters({{QStringLiteral("nope"), QStringLiteral("1")}}, &r);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, QStringLiteral("unknown_field"));
}

TEST(JsonCodec, RoundTripAndErrorBody)
{
    v1::EchoRequest r;
    ASSERT_TRUE(parseJson(R"({"text":"a","repeat":2})", &r).ok());
    EXPECT_EQ(r.repeat(), 2);
    const QJsonObject o = QJsonDocument::fromJson(toJson(r)).object();
    EXPECT_EQ(o.value(QStringLiteral("text")).toString(), QStringLiteral("a"));
    EXPECT_EQ(o.value(QStringLiteral("repeat")).toInt(), 2);

    const QJsonObject e =
        QJsonDocument::fromJson(errorJson(atende::core::Error::make("conflict", QStringLiteral("taken"),
                                                                    QJsonObject{{QStringLiteral("id"), 5}})))
            .object();
    EXPECT_EQ(e.value(QStringLiteral("code")).toString(), QStringLiteral("conflict"));
    EXPECT_EQ(e.value(QStringLiteral("message")).toString(), QStringLiteral("taken"));
    EXPECT_EQ(e.value(QStringLiteral("details")).toObject().value(QStringLiteral("id")).toInt(), 5);
}

TEST(Dispatcher, PublicRunsAndProtectedFailsClosedWithoutAuthorizer)
{
    OperationTable t;
    ASSERT_TRUE(t.add(op("open.echo", "POST", "/open")));
    ASSERT_TRUE(t.add(op("closed.echo", "POST", "/closed", "tickets.read")));
    Metrics m;
    Dispatcher d(t, m);
    auto req = std::make_unique<v1::EchoRequest>();
    req->set_text("hi");
    auto ok = atende::test::await(d.call(t.find(QStringLiteral("open.echo")), {}, std::move(req)));
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(static_cast<v1::EchoResponse &>(*ok.value()).text(), "hi");
    auto denied =
        atende::test::await(d.call(t.find(QStringLiteral("closed.echo")), {}, std::make_unique<v1::EchoRequest>()));
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, QStringLiteral("unauthenticated"));
    EXPECT_EQ(httpStatusFor(denied.error().code), 401);
    EXPECT_TRUE(m.render().contains("operation=\"closed.echo\",transport=\"internal\",status=\"401\"} 1"));
}

TEST(Dispatcher, EveryErrorCodeHasAStatus)
{
    for (const char *c :
         {"invalid_argument", "malformed_json", "unknown_field", "malformed_request", "payload_too_large",
          "unsupported_media_type", "not_found", "method_not_allowed", "unauthenticated", "permission_denied",
          "conflict", "rate_limited", "unavailable", "internal", "shutting_down"}) {
        const int s = httpStatusFor(QLatin1String(c));
        EXPECT_GE(s, 400) << c;
        EXPECT_LT(s, 600) << c;
    }
    EXPECT_EQ(httpStatusFor(QStringLiteral("conflict")), 409);
    EXPECT_EQ(httpStatusFor(QStringLiteral("not_found")), 404);
}

TEST(OpenApi, SystemOperationsDocumented)
{
    OperationTable t;
    addSystemOperations(t, SystemInfo{});
    const QJsonObject doc = QJsonDocument::fromJson(buildOpenApi(t, QStringLiteral("1.2.3"))).object();
    EXPECT_EQ(doc.value(QStringLiteral("info")).toObject().value(QStringLiteral("version")).toString(),
              QStringLiteral("1.2.3"));
    const QJsonObject paths = doc.value(QStringLiteral("paths")).toObject();
    EXPECT_EQ(paths.size(), 3);
    const QJsonObject echo =
        paths.value(QStringLiteral("/api/v1/system/echo")).toObject().value(QStringLiteral("post")).toObject();
    EXPECT_EQ(echo.value(QStringLiteral("requestBody"))
                  .toObject()
                  .value(QStringLiteral("content"))
                  .toObject()
                  .value(QStringLiteral("application/json"))
                  .toObject()
                  .value(QStringLiteral("schema"))
                  .toObject()
                  .value(QStringLiteral("$ref"))
                  .toString(),
              QStringLiteral("#/components/schemas/atende.api.v1.EchoRequest"));
    const QJsonObject info = doc.value(QStringLiteral("components"))
                                 .toObject()
                                 .value(QStringLiteral("schemas"))
                                 .toObject()
                                 .value(QStringLiteral("atende.api.v1.ServerInfoResponse"))
                                 .toObject();
    // int64 follows the canonical JSON mapping: a string.
    EXPECT_EQ(info.value(QStringLiteral("properties"))
                  .toObject()
                  .value(QStringLiteral("uptimeSeconds"))
                  .toObject()
                  .value(QStringLiteral("type"))
                  .toString(),
              QStringLiteral("string"));
}
