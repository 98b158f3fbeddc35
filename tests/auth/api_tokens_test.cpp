// API tokens for integrations against a throwaway database, through a real api::Dispatcher: create shows
// the token once and stores only its hash, authenticate() with the scopes' permissions, hostile tokens,
// revocation taking effect at once, expiry, a deactivated creator, validation, roles, tenant isolation and
// the audit trail.

#include "server/api/dispatcher.h"
#include "server/api/permissions.h"
#include "server/auth/api_token_operations.h"
#include "server/auth/api_token_service.h"
#include "server/db/db_executor.h"
#include "server/db/migrator.h"
#include "server/db/sql_util.h"
#include "server/security/opaque_token.h"
#include "server/security/password_hasher.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"
#include "tests/support/await.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include "atende/api/v1/api_tokens.pb.h"

#include <QJsonArray>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include <memory>

using namespace atende;
namespace v1 = atende::api::v1;
namespace perm = atende::server::api::perm;
using atende::core::Result;
using atende::server::auth::ApiTokenPrincipal;
using atende::test::isError;
using atende::test::isOk;

namespace {

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

struct Member {
    QUuid tenantId;
    QUuid userId;
    QString role;
    // What the test Authorizer reads from ctx.bearerToken.
    QString bearer() const
    {
        return role + QLatin1Char(' ') + uuidText(tenantId) + QLatin1Char(' ') + uuidText(userId);
    }
};

// Stands in for the real Authorizer: "<role> <tenant> <user>" signs in as that user with the role's
// permissions; "apitoken <tenant> <user>" pretends to be an API token holding every permission, so the
// handlers' own refusal is what is tested.
atende::core::Status testAuthorize(server::api::CallContext &ctx, const server::api::Operation &op)
{
    if (op.permission == QLatin1String(server::api::perm::kPublic))
        return {};
    const QStringList parts = ctx.bearerToken.split(QLatin1Char(' '));
    if (parts.size() != 3)
        return atende::core::Error::make(atende::core::errc::kUnauthenticated, QStringLiteral("sign in first"));
    ctx.tenantId = parts[1];
    ctx.userId = parts[2];
    if (parts[0] == QLatin1String("apitoken")) {
        ctx.apiTokenId = uuidText(QUuid::createUuid());
        ctx.permissions = QSet<QString>(perm::all().cbegin(), perm::all().cend());
    } else {
        ctx.role = parts[0];
        ctx.permissions = perm::rolePermissions(ctx.role);
    }
    if (!ctx.permissions.contains(op.permission))
        return atende::core::Error::make(atende::core::errc::kPermissionDenied, QStringLiteral("you may not do this"));
    return {};
}

class ApiTokensTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        config = test::freshDatabase(QStringLiteral("api_tokens"));
        su = std::make_unique<test::TestConnection>(config);
        ASSERT_TRUE(su->isOpen()) << su->openError().toStdString();
        ASSERT_TRUE(isOk(server::db::Migrator(server::db::Migrator::builtIn()).migrate(su->db())));
        adminA = seed(QStringLiteral("acme"), QStringLiteral("admin"));
        agentA = addUser(adminA.tenantId, QStringLiteral("agent"));
        adminB = seed(QStringLiteral("bravo"), QStringLiteral("admin"));

        db = std::make_unique<server::db::DbExecutor>(config, 2);
        ASSERT_TRUE(isOk(db->start()));
        server::auth::ApiTokenPolicy policy;
        policy.cacheTtlMs = 30'000;
        policy.touchIntervalMs = 60'000;
        policy.clock = [now = clockMs] {
            return *now;
        };
        service = std::make_unique<server::auth::ApiTokenService>(*db, policy);
        server::auth::addApiTokenOperations(table, *service);
        dispatcher = std::make_unique<server::api::Dispatcher>(table, metrics);
        dispatcher->setAuthorizer(
            [](server::api::CallContext &ctx, const server::api::Operation &op) -> QCoro::Task<atende::core::Status> {
                co_return testAuthorize(ctx, op);
            });
    }
    void TearDown() override
    {
        dispatcher.reset();
        service.reset();
        if (db)
            db->stop();
    }

    Member seed(const QString &slug, const QString &role)
    {
        const QUuid tid = server::tenancy::TenantRepository::newId();
        atende::core::Status st = server::db::tenantTransaction(su->db(), tid, [&](QSqlDatabase &d) {
            auto t = server::tenancy::TenantRepository::create(d, tid, slug, slug);
            if (!t.ok())
                return atende::core::Status(t.error());
            return atende::core::Status();
        });
        EXPECT_TRUE(isOk(st));
        return addUser(tid, role);
    }

    Member addUser(const QUuid &tenantId, const QString &role)
    {
        server::security::Argon2Params p;
        p.memoryKiB = 256;
        p.iterations = 1;
        const QString email = QStringLiteral("%1-%2@example.com").arg(role, uuidText(QUuid::createUuid()).left(8));
        Result<QUuid> id = server::db::tenantTransaction(su->db(), tenantId, [&](QSqlDatabase &d) -> Result<QUuid> {
            server::tenancy::NewUser nu{email, role, role, QStringLiteral("correct horse battery")};
            auto u = server::tenancy::UserRepository::create(d, tenantId, nu, server::security::PasswordHasher(p));
            if (!u.ok())
                return u.error();
            return u->id;
        });
        EXPECT_TRUE(isOk(id));
        return Member{tenantId, id.ok() ? id.value() : QUuid(), role};
    }

    template <typename Resp, typename Req>
    Result<Resp> call(const char *name, const Req &req, const QString &bearer, server::api::Dispatcher *via = nullptr)
    {
        const server::api::Operation *op = table.find(QLatin1String(name));
        EXPECT_NE(op, nullptr) << name;
        server::api::CallContext ctx;
        ctx.bearerToken = bearer;
        ctx.peer = QHostAddress(QStringLiteral("203.0.113.9"));
        server::api::MessagePtr request = op->newRequest();
        request->CopyFrom(req);
        server::api::Dispatcher *d = via ? via : dispatcher.get();
        Result<server::api::MessagePtr> r = test::await(d->call(op, ctx, std::move(request)));
        if (!r.ok())
            return r.error();
        return Resp(*static_cast<Resp *>(r.value().get()));
    }

    Result<v1::CreateApiTokenResponse> create(const Member &who, const QString &name, const QStringList &scopes,
                                              int days = 0)
    {
        v1::CreateApiTokenRequest req;
        req.set_name(name.toStdString());
        for (const QString &s : scopes)
            req.add_scopes(s.toStdString());
        req.set_expires_in_days(days);
        return call<v1::CreateApiTokenResponse>("api_tokens.create", req, who.bearer());
    }

    Result<v1::RevokeApiTokenResponse> revoke(const Member &who, const std::string &id)
    {
        v1::RevokeApiTokenRequest req;
        req.set_id(id);
        return call<v1::RevokeApiTokenResponse>("api_tokens.revoke", req, who.bearer());
    }

    Result<v1::ListApiTokensResponse> list(const Member &who)
    {
        return call<v1::ListApiTokensResponse>("api_tokens.list", v1::ListApiTokensRequest(), who.bearer());
    }

    Result<ApiTokenPrincipal> authenticate(const QString &token) { return test::await(service->authenticate(token)); }

    QString created(const Member &who, int days = 0, std::string *id = nullptr)
    {
        Result<v1::CreateApiTokenResponse> r =
            create(who, QStringLiteral("CRM"), {QStringLiteral("tickets:read")}, days);
        EXPECT_TRUE(isOk(r));
        if (!r.ok())
            return {};
        if (id)
            *id = r->api_token().id();
        return QString::fromStdString(r->token());
    }

    void advance(qint64 ms) { *clockMs += ms; }

    server::db::DbConfig config;
    std::unique_ptr<test::TestConnection> su; // superuser: sees every tenant, bypasses RLS
    std::unique_ptr<server::db::DbExecutor> db;
    std::shared_ptr<qint64> clockMs = std::make_shared<qint64>(1'000'000);
    std::unique_ptr<server::auth::ApiTokenService> service;
    server::api::OperationTable table;
    server::api::Metrics metrics;
    std::unique_ptr<server::api::Dispatcher> dispatcher;
    Member adminA;
    Member agentA;
    Member adminB;
};

} // namespace

TEST_F(ApiTokensTest, CreateShowsTheTokenOnceAndStoresOnlyItsHash)
{
    Result<v1::CreateApiTokenResponse> r =
        create(adminA, QStringLiteral("  CRM sync "),
               {QStringLiteral("tickets:read"), QStringLiteral("messages:send"), QStringLiteral("tickets:read")}, 30);
    ASSERT_TRUE(isOk(r));
    const QString token = QString::fromStdString(r->token());
    EXPECT_EQ(server::security::tokenKind(token), server::security::TokenKind::Api);
    const v1::ApiToken &info = r->api_token();
    EXPECT_EQ(info.name(), "CRM sync");
    ASSERT_EQ(info.scopes_size(), 2);
    EXPECT_EQ(info.scopes(0), "tickets:read");
    EXPECT_EQ(info.scopes(1), "messages:send");
    EXPECT_EQ(QString::fromStdString(info.prefix()), token.mid(4, 8));
    EXPECT_EQ(QString::fromStdString(info.created_by()), uuidText(adminA.userId));
    EXPECT_FALSE(info.created_at().empty());
    EXPECT_FALSE(info.expires_at().empty());
    EXPECT_TRUE(info.revoked_at().empty());

    Result<v1::ListApiTokensResponse> listed = list(adminA);
    ASSERT_TRUE(isOk(listed));
    ASSERT_EQ(listed->api_tokens_size(), 1);
    EXPECT_EQ(listed->api_tokens(0).id(), info.id());
    const std::string body = token.mid(4).toStdString();
    EXPECT_EQ(listed->SerializeAsString().find(body), std::string::npos);
    EXPECT_EQ(listed->DebugString().find(body), std::string::npos);

    // The database holds the hash, never the token or its secret part.
    const QString row = su->scalar(QStringLiteral("SELECT row_to_json(a)::text FROM api_tokens a")).toString();
    EXPECT_FALSE(row.isEmpty());
    EXPECT_FALSE(row.contains(token.mid(4)));
    EXPECT_FALSE(row.contains(token.mid(12)));
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT token_hash FROM api_tokens")).toString(),
              server::security::tokenHash(token));

    // Another tenant sees none of it.
    Result<v1::ListApiTokensResponse> other = list(adminB);
    ASSERT_TRUE(isOk(other));
    EXPECT_EQ(other->api_tokens_size(), 0);
}

TEST_F(ApiTokensTest, AuthenticateGivesTheScopesPermissions)
{
    Result<v1::CreateApiTokenResponse> r =
        create(adminA, QStringLiteral("Bot"), {QStringLiteral("messages:send"), QStringLiteral("contacts:read")});
    ASSERT_TRUE(isOk(r));
    const QString token = QString::fromStdString(r->token());
    Result<ApiTokenPrincipal> p = authenticate(token);
    ASSERT_TRUE(isOk(p));
    EXPECT_EQ(p->tenantId, adminA.tenantId);
    EXPECT_EQ(uuidText(p->tokenId), QString::fromStdString(r->api_token().id()));
    EXPECT_EQ(p->createdBy, adminA.userId);
    EXPECT_EQ(p->scopes, (QStringList{QStringLiteral("messages:send"), QStringLiteral("contacts:read")}));
    QSet<QString> expected = perm::scopePermissions(QStringLiteral("messages:send"));
    expected.unite(perm::scopePermissions(QStringLiteral("contacts:read")));
    EXPECT_EQ(p->permissions, expected);
    EXPECT_FALSE(p->permissions.contains(QLatin1String(perm::kApiTokensManage)));
    EXPECT_FALSE(p->permissions.contains(QLatin1String(perm::kSelf)));

    // last_used_at is written in the background, once.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return su->scalar(QStringLiteral("SELECT count(*) FROM api_tokens WHERE last_used_at IS NOT NULL"))
                       .toInt() == 1;
        },
        10000));
    EXPECT_TRUE(isOk(authenticate(token))); // from the cache
    Result<v1::ListApiTokensResponse> listed = list(adminA);
    ASSERT_TRUE(isOk(listed));
    EXPECT_FALSE(listed->api_tokens(0).last_used_at().empty());
}

TEST_F(ApiTokensTest, HostileTokensAreRefused)
{
    const QString good = created(adminA);
    ASSERT_FALSE(good.isEmpty());
    QString flipped = good;
    flipped[10] = flipped[10] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    Result<QString> unknown = server::security::generateToken(server::security::TokenKind::Api);
    Result<QString> refresh = server::security::generateToken(server::security::TokenKind::Refresh);
    ASSERT_TRUE(isOk(unknown));
    ASSERT_TRUE(isOk(refresh));
    const QStringList hostile{QString(),
                              QStringLiteral("garbage"),
                              QStringLiteral("atk_"),
                              QStringLiteral("' OR 1=1 --"),
                              QStringLiteral("atk_' OR '1'='1'; DROP TABLE api_tokens; --xxxxxxxxxxxxxxxx"),
                              QStringLiteral("atk_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%"),
                              good + QLatin1Char(' '),
                              good.toUpper(),
                              flipped,
                              unknown.value(),
                              refresh.value(),
                              QString(100000, QLatin1Char('a'))};
    for (const QString &t : hostile)
        EXPECT_TRUE(isError(authenticate(t), atende::core::errc::kUnauthenticated)) << t.left(60).toStdString();
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT count(*) FROM api_tokens")).toInt(), 1);
    EXPECT_TRUE(isOk(authenticate(good)));
}

TEST_F(ApiTokensTest, RevokeTakesEffectAtOnceAndIsIdempotent)
{
    std::string id;
    const QString token = created(adminA, 0, &id);
    ASSERT_TRUE(isOk(authenticate(token))); // now cached

    Result<v1::RevokeApiTokenResponse> r = revoke(adminA, id);
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r->api_token().revoked_at().empty());
    Result<ApiTokenPrincipal> after = authenticate(token);
    ASSERT_TRUE(isError(after, atende::core::errc::kUnauthenticated));
    EXPECT_EQ(after.error().details.value(QStringLiteral("reason")).toString(), QStringLiteral("revoked"));

    Result<v1::RevokeApiTokenResponse> again = revoke(adminA, id);
    ASSERT_TRUE(isOk(again));
    EXPECT_EQ(again->api_token().revoked_at(), r->api_token().revoked_at());
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'api_token.revoke'")).toInt(),
              1);
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT revoked_by::text FROM api_tokens")).toString(),
              uuidText(adminA.userId));

    EXPECT_TRUE(isError(revoke(adminA, uuidText(QUuid::createUuid()).toStdString()), atende::core::errc::kNotFound));
    EXPECT_TRUE(isError(revoke(adminA, "not-a-uuid"), atende::core::errc::kNotFound));
}

TEST_F(ApiTokensTest, ExpiredTokensAreRefused)
{
    const QString fresh = created(adminA, 1);
    const QString cached = created(adminA, 1);
    ASSERT_TRUE(isOk(authenticate(cached)));
    ASSERT_TRUE(su->exec(QStringLiteral("UPDATE api_tokens SET expires_at = now() - interval '1 second'")));

    Result<ApiTokenPrincipal> r = authenticate(fresh);
    ASSERT_TRUE(isError(r, atende::core::errc::kUnauthenticated));
    EXPECT_EQ(r.error().details.value(QStringLiteral("reason")).toString(), QStringLiteral("expired"));
    // A cached token is refused once the cache entry is stale.
    advance(30'000);
    EXPECT_TRUE(isError(authenticate(cached), atende::core::errc::kUnauthenticated));
}

TEST_F(ApiTokensTest, DeactivatedCreatorStopsTheTokenAfterTheCacheTtl)
{
    const QString token = created(adminA);
    ASSERT_TRUE(isOk(authenticate(token)));
    ASSERT_TRUE(
        su->exec(QStringLiteral("UPDATE users SET active = false WHERE id = '%1'").arg(uuidText(adminA.userId))));
    advance(29'000);
    EXPECT_TRUE(isOk(authenticate(token))); // still cached
    advance(1'000);
    Result<ApiTokenPrincipal> r = authenticate(token);
    ASSERT_TRUE(isError(r, atende::core::errc::kUnauthenticated));
    EXPECT_EQ(r.error().details.value(QStringLiteral("reason")).toString(), QStringLiteral("creator_inactive"));
}

TEST_F(ApiTokensTest, CreateValidatesItsInput)
{
    Result<v1::CreateApiTokenResponse> unknown =
        create(adminA, QStringLiteral("CRM"), {QStringLiteral("tickets:read"), QStringLiteral("api_tokens:manage")});
    ASSERT_TRUE(isError(unknown, atende::core::errc::kInvalidArgument));
    const QJsonArray allowed = unknown.error().details.value(QStringLiteral("allowed")).toArray();
    EXPECT_EQ(allowed.size(), perm::scopes().size());
    EXPECT_TRUE(unknown.error().message.contains(QStringLiteral("tickets:read")));

    EXPECT_TRUE(isError(create(adminA, QStringLiteral("CRM"), {}), atende::core::errc::kInvalidArgument));
    EXPECT_TRUE(isError(create(adminA, QStringLiteral("   "), {QStringLiteral("tickets:read")}),
                        atende::core::errc::kInvalidArgument));
    EXPECT_TRUE(isError(create(adminA, QString(101, QLatin1Char('n')), {QStringLiteral("tickets:read")}),
                        atende::core::errc::kInvalidArgument));
    EXPECT_TRUE(isOk(create(adminA, QString(100, QLatin1Char('n')), {QStringLiteral("tickets:read")})));
    EXPECT_TRUE(isError(create(adminA, QStringLiteral("CRM"), {QStringLiteral("tickets:read")}, -1),
                        atende::core::errc::kInvalidArgument));
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT count(*) FROM api_tokens")).toInt(), 1);
}

TEST_F(ApiTokensTest, OnlyAdminsAndNeverApiTokensManageTokens)
{
    std::string id;
    ASSERT_FALSE(created(adminA, 0, &id).isEmpty());
    EXPECT_TRUE(isError(list(agentA), atende::core::errc::kPermissionDenied));
    EXPECT_TRUE(isError(create(agentA, QStringLiteral("x"), {QStringLiteral("tickets:read")}),
                        atende::core::errc::kPermissionDenied));
    EXPECT_TRUE(isError(revoke(agentA, id), atende::core::errc::kPermissionDenied));

    const Member asToken{adminA.tenantId, adminA.userId, QStringLiteral("apitoken")};
    EXPECT_TRUE(isError(list(asToken), atende::core::errc::kPermissionDenied));
    EXPECT_TRUE(isError(create(asToken, QStringLiteral("x"), {QStringLiteral("tickets:read")}),
                        atende::core::errc::kPermissionDenied));
    EXPECT_TRUE(isError(revoke(asToken, id), atende::core::errc::kPermissionDenied));
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL")).toInt(), 1);

    for (const QString &scope : perm::scopes())
        EXPECT_FALSE(perm::scopePermissions(scope).contains(QLatin1String(perm::kApiTokensManage)))
            << scope.toStdString();
}

TEST_F(ApiTokensTest, AnotherTenantsTokenCannotBeRevoked)
{
    std::string idB;
    const QString tokenB = created(adminB, 0, &idB);
    ASSERT_TRUE(isOk(authenticate(tokenB)));
    EXPECT_TRUE(isError(revoke(adminA, idB), atende::core::errc::kNotFound));
    advance(60'000); // past the cache: the database says so too
    Result<ApiTokenPrincipal> p = authenticate(tokenB);
    ASSERT_TRUE(isOk(p));
    EXPECT_EQ(p->tenantId, adminB.tenantId);
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL")).toInt(), 0);
}

TEST_F(ApiTokensTest, CreateAndRevokeAreAuditedWithoutSecrets)
{
    std::string id;
    const QString token = created(adminA, 0, &id);
    ASSERT_TRUE(isOk(revoke(adminA, id)));

    QSqlQuery q(su->db());
    ASSERT_TRUE(q.exec(QStringLiteral("SELECT action, actor_user_id::text, object_type, object_id, "
                                      "coalesce(before::text, ''), coalesce(after::text, ''), ip "
                                      "FROM audit_log WHERE action LIKE 'api_token.%' ORDER BY seq")));
    QStringList actions;
    const QString hash = server::security::tokenHash(token);
    while (q.next()) {
        actions << q.value(0).toString();
        EXPECT_EQ(q.value(1).toString(), uuidText(adminA.userId));
        EXPECT_EQ(q.value(2).toString(), QStringLiteral("api_token"));
        EXPECT_EQ(q.value(3).toString(), QString::fromStdString(id));
        EXPECT_EQ(q.value(6).toString(), QStringLiteral("203.0.113.9"));
        for (int col : {4, 5}) {
            const QString json = q.value(col).toString();
            EXPECT_FALSE(json.contains(token.mid(4, 8))) << json.toStdString();
            EXPECT_FALSE(json.contains(token.mid(12))) << json.toStdString();
            EXPECT_FALSE(json.contains(hash)) << json.toStdString();
        }
    }
    EXPECT_EQ(actions, (QStringList{QStringLiteral("api_token.create"), QStringLiteral("api_token.revoke")}));
    EXPECT_EQ(
        su->scalar(QStringLiteral("SELECT after->>'name' FROM audit_log WHERE action = 'api_token.create'")).toString(),
        QStringLiteral("CRM"));
    EXPECT_EQ(su->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'api_token.revoke' "
                                        "AND before->>'revokedAt' IS NULL AND after->>'revokedAt' IS NOT NULL"))
                  .toInt(),
              1);
}

TEST_F(ApiTokensTest, TheDispatcherAuthenticatesApiTokensThroughTheService)
{
    // A probe operation needing tickets.read that echoes what the Dispatcher put into the context.
    ASSERT_TRUE(table.add(server::api::makeOperation<v1::ListApiTokensRequest, v1::ListApiTokensResponse>(
        QStringLiteral("probe.tickets"), "GET", QStringLiteral("/api/v1/probe"), QLatin1String(perm::kTicketsRead),
        QStringLiteral("probe"),
        [](server::api::CallContext ctx, v1::ListApiTokensRequest) -> QCoro::Task<Result<v1::ListApiTokensResponse>> {
            v1::ListApiTokensResponse r;
            v1::ApiToken *t = r.add_api_tokens();
            t->set_id(ctx.apiTokenId.toStdString());
            t->set_created_by(ctx.userId.toStdString());
            t->set_name(ctx.tenantId.toStdString());
            t->set_prefix(ctx.role.toStdString());
            co_return r;
        })));
    server::api::Dispatcher real(table, metrics);
    real.setAuthenticator(server::auth::makeApiTokenAuthenticator(*service));

    std::string id;
    const QString token = created(adminA, 0, &id); // scope tickets:read
    Result<v1::ListApiTokensResponse> probe =
        call<v1::ListApiTokensResponse>("probe.tickets", v1::ListApiTokensRequest(), token, &real);
    ASSERT_TRUE(isOk(probe));
    EXPECT_EQ(probe->api_tokens(0).id(), id);
    EXPECT_EQ(QString::fromStdString(probe->api_tokens(0).created_by()), uuidText(adminA.userId));
    EXPECT_EQ(QString::fromStdString(probe->api_tokens(0).name()), uuidText(adminA.tenantId));
    EXPECT_EQ(probe->api_tokens(0).prefix(), "");

    // Its scopes never reach token management.
    EXPECT_TRUE(isError(call<v1::ListApiTokensResponse>("api_tokens.list", v1::ListApiTokensRequest(), token, &real),
                        atende::core::errc::kPermissionDenied));
    ASSERT_TRUE(isOk(revoke(adminA, id)));
    EXPECT_TRUE(isError(call<v1::ListApiTokensResponse>("probe.tickets", v1::ListApiTokensRequest(), token, &real),
                        atende::core::errc::kUnauthenticated));
}
