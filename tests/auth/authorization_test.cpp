// Authorization across the whole operation table: every operation names a known permission, roles get what
// the catalogue says, rate limits answer 429 with Retry-After, and WebSocket sessions authenticate with a
// token and receive only the events their principal may see.

#include "server_fixture.h"

#include "server/api/dispatcher.h"
#include "server/api/event_hub.h"
#include "server/api/operation.h"
#include "server/api/permissions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <gtest/gtest.h>

using namespace atende;
namespace perm = atende::server::api::perm;

namespace {

class AuthorizationTest : public ::testing::Test {
protected:
    void start(const QStringList &args = {})
    {
        ASSERT_TRUE(fx.start(QStringLiteral("authz"), args));
    }
    test::ServerFixture fx;
};

TEST_F(AuthorizationTest, EveryOperationDeclaresAKnownPermission)
{
    start();
    const auto &ops = fx.server().operations().all();
    ASSERT_GT(ops.size(), 5);
    int checked = 0;
    for (const server::api::Operation &op : ops) {
        EXPECT_FALSE(op.permission.isEmpty()) << op.name.toStdString() << " has no permission";
        EXPECT_TRUE(perm::isKnown(op.permission))
            << op.name.toStdString() << " names unknown permission " << op.permission.toStdString();
        ++checked;
    }
    // The table refuses an operation without a permission at registration time.
    server::api::OperationTable table;
    server::api::Operation bare = ops.first();
    bare.name = QStringLiteral("test.bare");
    bare.path = QStringLiteral("/api/v1/test/bare");
    bare.permission.clear();
    EXPECT_FALSE(table.add(bare));
    std::printf("permissions: %d operations checked\n", checked);
}

TEST_F(AuthorizationTest, RolesAndTokensGetTheCataloguePermissions)
{
    const auto &admin = perm::rolePermissions(QStringLiteral("admin"));
    for (const QString &p : perm::all())
        EXPECT_TRUE(admin.contains(p)) << p.toStdString();
    const auto &agent = perm::rolePermissions(QStringLiteral("agent"));
    EXPECT_FALSE(agent.contains(QLatin1String(perm::kUsersManage)));
    EXPECT_FALSE(agent.contains(QLatin1String(perm::kTicketsSupervise)));
    EXPECT_TRUE(agent.contains(QLatin1String(perm::kMessagesSend)));
    EXPECT_TRUE(perm::rolePermissions(QStringLiteral("supervisor")).contains(QLatin1String(perm::kTicketsSupervise)));
    EXPECT_TRUE(perm::rolePermissions(QStringLiteral("root")).isEmpty());
    for (const QString &scope : perm::scopes()) {
        const auto &ps = perm::scopePermissions(scope);
        EXPECT_FALSE(ps.isEmpty()) << scope.toStdString();
        for (const char *never : {perm::kSelf, perm::kUsersManage, perm::kTenantManage, perm::kApiTokensManage})
            EXPECT_FALSE(ps.contains(QLatin1String(never))) << scope.toStdString() << " grants " << never;
    }

    server::api::Operation op;
    op.permission = QLatin1String(perm::kUsersManage);
    server::api::CallContext ctx;
    ctx.userId = QStringLiteral("u");
    ctx.permissions = agent;
    EXPECT_EQ(server::api::checkPermission(ctx, op).error().code, QLatin1String("permission_denied"));
    ctx.permissions = admin;
    EXPECT_TRUE(server::api::checkPermission(ctx, op).ok());
    op.permission = QLatin1String(perm::kSelf);
    EXPECT_TRUE(server::api::checkPermission(ctx, op).ok());
    ctx.apiTokenId = QStringLiteral("t"); // an API token never acts as "self"
    EXPECT_FALSE(server::api::checkPermission(ctx, op).ok());
}

TEST_F(AuthorizationTest, PerAddressLimitAnswers429WithRetryAfter)
{
    start({QStringLiteral("--rate-limit-ip-burst=5"), QStringLiteral("--rate-limit-ip-per-second=1")});
    int ok = 0;
    test::TestResponse limited;
    for (int i = 0; i < 12 && limited.status == 0; ++i) {
        const test::TestResponse r = fx.call("GET", "/api/v1/system/ping");
        if (r.status == 200)
            ++ok;
        else if (r.status == 429)
            limited = r;
    }
    EXPECT_GE(ok, 5);
    EXPECT_LE(ok, 7);
    ASSERT_EQ(limited.status, 429);
    EXPECT_EQ(limited.json().value(QStringLiteral("code")).toString(),
              QStringLiteral("rate_limited"));
    EXPECT_GE(limited.header("retry-after").toInt(), 1);
    // Health checks are not operations and stay reachable for the load balancer.
    EXPECT_EQ(fx.call("GET", "/healthz").status, 200);
}

TEST_F(AuthorizationTest, PerUserLimitIsSeparateFromOtherUsers)
{
    start({QStringLiteral("--rate-limit-user-burst=3"), QStringLiteral("--rate-limit-user-per-second=1")});
    const QByteArray agent = fx.token(QStringLiteral("acme"), QStringLiteral("agent"));
    const QByteArray admin = fx.token(QStringLiteral("acme"), QStringLiteral("admin"));
    ASSERT_FALSE(agent.isEmpty());
    int status = 0;
    for (int i = 0; i < 6 && status != 429; ++i)
        status = fx.call("GET", "/api/v1/auth/me", {}, agent).status;
    EXPECT_EQ(status, 429);
    EXPECT_EQ(fx.call("GET", "/api/v1/auth/me", {}, admin).status, 200); // another user's bucket
}

TEST_F(AuthorizationTest, WebSocketSessionAuthenticatesAndFiltersEvents)
{
    start();
    const QString agentA = QString::fromUtf8(fx.token(QStringLiteral("acme"), QStringLiteral("agent")));
    const QString supA = QString::fromUtf8(fx.token(QStringLiteral("acme"), QStringLiteral("supervisor")));
    const QString agentB = QString::fromUtf8(fx.token(QStringLiteral("globex"), QStringLiteral("agent")));

    // The acme agent belongs to one sector (made directly in SQL; the sector operations are tested elsewhere).
    const QString acmeId = fx.tenant(QStringLiteral("acme")).id.toString(QUuid::WithoutBraces);
    const QString mySector =
        fx.superuserQuery(QStringLiteral("INSERT INTO sectors (tenant_id, name) VALUES ('%1', 'Suporte') RETURNING id")
                              .arg(acmeId))
            .value(0);
    ASSERT_FALSE(mySector.isEmpty());
    fx.superuserQuery(QStringLiteral("INSERT INTO user_sectors (tenant_id, user_id, sector_id) VALUES ('%1', '%2', '%3')")
                          .arg(acmeId,
                               fx.tenant(QStringLiteral("acme")).users.value(QStringLiteral("agent")).id.toString(
                                   QUuid::WithoutBraces),
                               mySector));

    test::WsJsonClient anon, a1, a2, b1;
    ASSERT_TRUE(anon.open(fx.port()) && a1.open(fx.port()) && a2.open(fx.port()) && b1.open(fx.port()));

    // Without a token only public operations run.
    EXPECT_EQ(anon.call(QStringLiteral("auth.me")).value(QStringLiteral("error")).toObject().value(
                  QStringLiteral("code")),
              QStringLiteral("unauthenticated"));
    const QJsonObject bad = anon.authenticate(QStringLiteral("not-a-token"));
    EXPECT_EQ(bad.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
              QStringLiteral("unauthenticated"));

    const QJsonObject s1 = a1.authenticate(agentA);
    ASSERT_TRUE(s1.value(QStringLiteral("session")).toObject().value(QStringLiteral("authenticated")).toBool())
        << QJsonDocument(s1).toJson().toStdString();
    EXPECT_EQ(s1.value(QStringLiteral("session")).toObject().value(QStringLiteral("tenantId")).toString(),
              fx.tenant(QStringLiteral("acme")).id.toString(QUuid::WithoutBraces));
    // The token stays with the session for later calls.
    const QJsonObject me = a1.call(QStringLiteral("auth.me"));
    EXPECT_TRUE(me.value(QStringLiteral("ok")).toBool());
    EXPECT_EQ(me.value(QStringLiteral("body")).toObject().value(QStringLiteral("role")).toString(),
              QStringLiteral("agent"));
    ASSERT_TRUE(a2.authenticate(supA).contains(QStringLiteral("session")));
    ASSERT_TRUE(b1.authenticate(agentB).contains(QStringLiteral("session")));

    server::api::EventHub *hub = fx.server().events();
    ASSERT_NE(hub, nullptr);
    const auto notice = [](const char *kind) {
        atende::api::v1::Event e;
        e.mutable_notice()->set_kind(kind);
        return e;
    };
    const QUuid acme = fx.tenant(QStringLiteral("acme")).id;
    // Tenant-wide event with a permission every role holds: both acme sessions, not globex.
    EXPECT_EQ(hub->publish({acme, QLatin1String(perm::kTicketsRead), {}, {}}, notice("tenant_wide")), 2);
    // A sector the agent is not in: only the supervisor (tickets.supervise).
    EXPECT_EQ(hub->publish({acme, QLatin1String(perm::kTicketsRead), QUuid::createUuid(), {}}, notice("sector")), 1);
    // The agent's own sector: agent and supervisor.
    EXPECT_EQ(hub->publish({acme, QLatin1String(perm::kTicketsRead), QUuid::fromString(mySector), {}},
                           notice("my_sector")),
              2);
    // Admin-only permission: nobody connected holds it.
    EXPECT_EQ(hub->publish({acme, QLatin1String(perm::kAuditRead), {}, {}}, notice("admin_only")), 0);
    ASSERT_TRUE(a1.waitForEvents(2, 5000));
    ASSERT_TRUE(a2.waitForEvents(3, 5000));
    QTest::qWait(200);
    ASSERT_EQ(a1.events().size(), 2);
    EXPECT_EQ(a1.events().first().value(QStringLiteral("notice")).toObject().value(QStringLiteral("kind")).toString(),
              QStringLiteral("tenant_wide"));
    EXPECT_EQ(a1.events().last().value(QStringLiteral("notice")).toObject().value(QStringLiteral("kind")).toString(),
              QStringLiteral("my_sector"));
    EXPECT_EQ(a2.events().size(), 3);
    EXPECT_TRUE(b1.events().isEmpty());
    EXPECT_TRUE(anon.events().isEmpty());
}

TEST_F(AuthorizationTest, WebSocketSessionReportsWhenItsTokenExpires)
{
    start({QStringLiteral("--access-token-minutes=1")});
    const QString agentA = QString::fromUtf8(fx.token(QStringLiteral("acme"), QStringLiteral("agent")));
    test::WsJsonClient c;
    ASSERT_TRUE(c.open(fx.port()));
    const QJsonObject s = c.authenticate(agentA);
    const QDateTime exp = QDateTime::fromString(
        s.value(QStringLiteral("session")).toObject().value(QStringLiteral("expiresAt")).toString(), Qt::ISODate);
    ASSERT_TRUE(exp.isValid());
    const qint64 secs = QDateTime::currentDateTimeUtc().secsTo(exp);
    EXPECT_GT(secs, 30);
    EXPECT_LE(secs, 61);
}

} // namespace

namespace {

TEST_F(AuthorizationTest, ApiTokensActWithinTheirScopesOnly)
{
    start();
    const QByteArray admin = fx.token(QStringLiteral("acme"), QStringLiteral("admin"));
    const test::TestResponse created = fx.callJson(
        "POST", "/api/v1/api-tokens",
        {{QStringLiteral("name"), QStringLiteral("ERP")}, {QStringLiteral("scopes"), QJsonArray{QStringLiteral("tickets:read")}}},
        admin);
    ASSERT_EQ(created.status, 200) << created.body.toStdString();
    const QByteArray token = created.json().value(QStringLiteral("token")).toString().toUtf8();
    const QString id =
        created.json().value(QStringLiteral("apiToken")).toObject().value(QStringLiteral("id")).toString();
    ASSERT_TRUE(token.startsWith("atk_"));

    // tickets:read includes the user directory, nothing that changes accounts and nothing "self".
    EXPECT_EQ(fx.call("GET", "/api/v1/users", {}, token).status, 200);
    EXPECT_EQ(fx.callJson("POST", "/api/v1/sectors", {{QStringLiteral("name"), QStringLiteral("X")}}, token).status,
              403);
    EXPECT_EQ(fx.call("GET", "/api/v1/api-tokens", {}, token).status, 403);
    EXPECT_EQ(fx.call("GET", "/api/v1/auth/me", {}, token).status, 403);
    // An agent cannot make tokens at all.
    EXPECT_EQ(fx.callJson("POST", "/api/v1/api-tokens",
                          {{QStringLiteral("name"), QStringLiteral("mine")},
                           {QStringLiteral("scopes"), QJsonArray{QStringLiteral("tickets:read")}}},
                          fx.token(QStringLiteral("acme"), QStringLiteral("agent")))
                  .status,
              403);

    // Revoked: refused at once, on REST and on a WebSocket session.
    EXPECT_EQ(fx.call("DELETE", "/api/v1/api-tokens/" + id.toUtf8(), {}, admin).status, 200);
    EXPECT_EQ(fx.call("GET", "/api/v1/users", {}, token).status, 401);
    test::WsJsonClient ws;
    ASSERT_TRUE(ws.open(fx.port()));
    EXPECT_EQ(ws.authenticate(QString::fromUtf8(token)).value(QStringLiteral("error")).toObject().value(
                  QStringLiteral("code")),
              QStringLiteral("unauthenticated"));
}

TEST_F(AuthorizationTest, DeactivatedUsersLoseTokensAndEventsAtOnce)
{
    start();
    const QByteArray admin = fx.token(QStringLiteral("acme"), QStringLiteral("admin"));
    const QString agent = QString::fromUtf8(fx.token(QStringLiteral("acme"), QStringLiteral("agent")));
    test::WsJsonClient ws;
    ASSERT_TRUE(ws.open(fx.port()));
    ASSERT_TRUE(ws.authenticate(agent).contains(QStringLiteral("session")));
    // A sector change is announced to everyone holding sectors.read, the agent included.
    const test::TestResponse sector =
        fx.callJson("POST", "/api/v1/sectors", {{QStringLiteral("name"), QStringLiteral("Financeiro")}}, admin);
    ASSERT_EQ(sector.status, 200) << sector.body.toStdString();
    ASSERT_TRUE(ws.waitForEvents(1, 5000));
    EXPECT_TRUE(ws.events().last().contains(QStringLiteral("sectorChanged")))
        << QJsonDocument(ws.events().last()).toJson().toStdString();

    // Deactivated: the access token (still unexpired) stops working at once, and so does the session.
    const QString agentId =
        fx.tenant(QStringLiteral("acme")).users.value(QStringLiteral("agent")).id.toString(QUuid::WithoutBraces);
    const test::TestResponse off =
        fx.callJson("PATCH", "/api/v1/users/" + agentId.toUtf8(), {{QStringLiteral("active"), false}}, admin);
    ASSERT_EQ(off.status, 200) << off.body.toStdString();
    EXPECT_EQ(fx.call("GET", "/api/v1/auth/me", {}, agent.toUtf8()).status, 401);
    QTest::qWait(300);
    ws.clearEvents();
    ASSERT_EQ(fx.callJson("POST", "/api/v1/sectors", {{QStringLiteral("name"), QStringLiteral("Cobrança")}}, admin)
                  .status,
              200);
    QTest::qWait(500);
    EXPECT_TRUE(ws.events().isEmpty()) << QJsonDocument(ws.events().value(0)).toJson().toStdString();
    EXPECT_EQ(ws.call(QStringLiteral("auth.me")).value(QStringLiteral("error")).toObject().value(QStringLiteral("code")),
              QStringLiteral("unauthenticated"));
}

} // namespace

namespace {

TEST_F(AuthorizationTest, AdminsListAndRetryDeadJobsOfTheirTenantOnly)
{
    start();
    const QString acme = fx.tenant(QStringLiteral("acme")).id.toString(QUuid::WithoutBraces);
    const QString id = fx.superuserQuery(QStringLiteral("INSERT INTO jobs (tenant_id, kind, payload, state, attempts, "
                                                        "max_attempts, last_error, finished_at) VALUES ('%1', "
                                                        "'whatsapp.send', '{}', 'dead', 8, 8, 'peer gone', now()) "
                                                        "RETURNING id")
                                             .arg(acme))
                           .value(0);
    ASSERT_FALSE(id.isEmpty());
    const QByteArray admin = fx.token(QStringLiteral("acme"), QStringLiteral("admin"));
    const test::TestResponse list = fx.call("GET", "/api/v1/jobs/dead", {}, admin);
    ASSERT_EQ(list.status, 200) << list.body.toStdString();
    const QJsonArray jobs = list.json().value(QStringLiteral("jobs")).toArray();
    ASSERT_EQ(jobs.size(), 1);
    EXPECT_EQ(jobs.first().toObject().value(QStringLiteral("lastError")).toString(), QStringLiteral("peer gone"));
    EXPECT_EQ(fx.call("GET", "/api/v1/jobs/dead", {}, fx.token(QStringLiteral("acme"), QStringLiteral("agent"))).status,
              403);
    const QByteArray otherAdmin = fx.token(QStringLiteral("globex"), QStringLiteral("admin"));
    EXPECT_EQ(fx.call("GET", "/api/v1/jobs/dead", {}, otherAdmin).json().value(QStringLiteral("jobs")).toArray().size(),
              0);
    EXPECT_EQ(fx.call("POST", "/api/v1/jobs/dead/" + id.toUtf8() + "/retry", {}, otherAdmin).status, 404);
    EXPECT_EQ(fx.call("POST", "/api/v1/jobs/dead/" + id.toUtf8() + "/retry", {}, admin).status, 200);
    EXPECT_EQ(fx.superuserQuery(QStringLiteral("SELECT state || '/' || attempts FROM jobs WHERE id = '%1'").arg(id))
                  .value(0),
              QStringLiteral("queued/0"));
    EXPECT_EQ(fx.call("GET", "/api/v1/jobs/dead", {}, admin).json().value(QStringLiteral("jobs")).toArray().size(), 0);
}

} // namespace
