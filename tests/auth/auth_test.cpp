// Authentication through the real REST API of one in-process server on a throwaway database: login and
// /auth/me, indistinguishable login failures, refresh rotation with reuse detection, logout, logout-all,
// hostile access tokens and brute-force throttling.

#include "http_test_client.h"

#include "server/auth/auth_service.h"
#include "server/core/server_application.h"
#include "server/db/db_executor.h"
#include "server/security/base64url.h"
#include "server/security/key_ring.h"
#include "server/security/password_hasher.h"
#include "server/security/signing_key.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"
#include "tests/support/test_postgres.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QSqlQuery>

#include <gtest/gtest.h>

using namespace atende;
using atende::server::security::Jwt;
using atende::test::TestResponse;

namespace {

const QString kEmail = QStringLiteral("ana@acme.example");
const QString kPassword = QStringLiteral("correct horse battery staple");

class AuthTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        const server::db::DbConfig db = test::freshDatabase(QStringLiteral("auth"));
        auto cfg = server::core::ServerConfig::load(
            {QStringLiteral("--database-url=") + test::databaseUrl(db), QStringLiteral("--port=0"),
             QStringLiteral("--database-workers=2"),
             QStringLiteral("--data-dir=") + QDir::tempPath() + QStringLiteral("/atende-auth-test")},
            QProcessEnvironment());
        ASSERT_TRUE(cfg.ok()) << cfg.error().message.toStdString();
        server = std::make_unique<server::core::ServerApplication>(cfg.value());
        auto st = server->start();
        ASSERT_TRUE(st.ok()) << st.error().message.toStdString();
        port = server->port();

        tenantId = server::tenancy::TenantRepository::newId();
        const QUuid tid = tenantId;
        auto seeded =
            server->database()
                ->runTenant(
                    tid,
                    [tid](QSqlDatabase &d) -> atende::core::Result<QUuid> {
                        auto t = server::tenancy::TenantRepository::create(d, tid, QStringLiteral("Acme"),
                                                                           QStringLiteral("acme"));
                        if (!t.ok())
                            return t.error();
                        server::security::Argon2Params p;
                        p.memoryKiB = 256;
                        p.iterations = 1;
                        server::tenancy::NewUser nu{kEmail, QStringLiteral("Ana"), QStringLiteral("agent"), kPassword};
                        auto u =
                            server::tenancy::UserRepository::create(d, tid, nu, server::security::PasswordHasher(p));
                        if (!u.ok())
                            return u.error();
                        return u->id;
                    })
                .result();
        ASSERT_TRUE(seeded.ok()) << seeded.error().message.toStdString();
        userId = seeded.value();
    }
    void TearDown() override
    {
        if (server) {
            QSignalSpy stopped(server.get(), &server::core::ServerApplication::stopped);
            server->shutdown();
            EXPECT_TRUE(stopped.count() > 0 || stopped.wait(10000));
        }
    }

    TestResponse call(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                      const QByteArray &bearer = {})
    {
        QByteArray raw = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        if (!bearer.isEmpty())
            raw += "Authorization: Bearer " + bearer + "\r\n";
        if (!body.isEmpty())
            raw += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        raw += "\r\n" + body;
        return test::rawRequest(port, raw);
    }

    TestResponse login(const QString &email, const QString &password)
    {
        const QJsonObject o{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
        return call("POST", "/api/v1/auth/login", QJsonDocument(o).toJson(QJsonDocument::Compact));
    }

    TestResponse withRefreshToken(const QByteArray &path, const QString &token)
    {
        const QJsonObject o{{QStringLiteral("refreshToken"), token}};
        return call("POST", path, QJsonDocument(o).toJson(QJsonDocument::Compact));
    }

    // Counts rows of the test tenant (as the app role, bound to it).
    qint64 count(const QString &sql)
    {
        auto r = server->database()
                     ->runTenant(tenantId,
                                 [sql](QSqlDatabase &d) -> atende::core::Result<qint64> {
                                     QSqlQuery q(d);
                                     if (!q.exec(sql) || !q.next())
                                         return atende::core::Error::make(atende::core::errc::kInternal, sql);
                                     return q.value(0).toLongLong();
                                 })
                     .result();
        EXPECT_TRUE(r.ok()) << sql.toStdString();
        return r.ok() ? r.value() : -1;
    }

    static QString field(const TestResponse &r, const char *name)
    {
        return r.json().value(QLatin1String(name)).toString();
    }

    std::unique_ptr<server::core::ServerApplication> server;
    quint16 port = 0;
    QUuid tenantId;
    QUuid userId;
};

QByteArray unsignedJwt(const QJsonObject &header, const QJsonObject &claims)
{
    return server::security::base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           server::security::base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

} // namespace

TEST_F(AuthTest, LoginThenMe)
{
    const TestResponse r = login(QStringLiteral("  ANA@acme.example "), kPassword);
    ASSERT_EQ(r.status, 200) << r.body.toStdString();
    const QString access = field(r, "accessToken");
    EXPECT_EQ(access.count(QLatin1Char('.')), 2);
    EXPECT_TRUE(field(r, "refreshToken").startsWith(QStringLiteral("atr_")));
    EXPECT_EQ(field(r, "tokenType"), QStringLiteral("Bearer"));

    const TestResponse me = call("GET", "/api/v1/auth/me", {}, access.toLatin1());
    ASSERT_EQ(me.status, 200) << me.body.toStdString();
    EXPECT_EQ(field(me, "userId"), userId.toString(QUuid::WithoutBraces));
    EXPECT_EQ(field(me, "tenantId"), tenantId.toString(QUuid::WithoutBraces));
    EXPECT_EQ(field(me, "email"), kEmail);
    EXPECT_EQ(field(me, "name"), QStringLiteral("Ana"));
    EXPECT_EQ(field(me, "role"), QStringLiteral("agent"));

    EXPECT_EQ(call("GET", "/api/v1/auth/me").status, 401);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'login.ok'")), 1);
    // Only the hash of the refresh token is stored.
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM refresh_tokens WHERE token_hash = '%1'")
                        .arg(field(r, "refreshToken"))),
              0);
}

TEST_F(AuthTest, WrongPasswordAndUnknownEmailLookTheSame)
{
    const TestResponse wrong = login(kEmail, QStringLiteral("not the password"));
    const TestResponse unknown = login(QStringLiteral("nobody@acme.example"), QStringLiteral("not the password"));
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body, unknown.body);
    EXPECT_EQ(wrong.json().value(QStringLiteral("code")).toString(), QStringLiteral("unauthenticated"));
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'login.failed'")), 1);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE coalesce(after::text, '') ILIKE "
                                   "'%not the password%'")),
              0);
}

TEST_F(AuthTest, RefreshRotatesAndReuseRevokesTheFamily)
{
    const TestResponse r0 = login(kEmail, kPassword);
    ASSERT_EQ(r0.status, 200);
    const QString token0 = field(r0, "refreshToken");

    const TestResponse r1 = withRefreshToken("/api/v1/auth/refresh", token0);
    ASSERT_EQ(r1.status, 200) << r1.body.toStdString();
    const QString token1 = field(r1, "refreshToken");
    EXPECT_NE(token1, token0);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", {}, field(r1, "accessToken").toLatin1()).status, 200);

    // The same refresh token a second time: refused, and the token of the first refresh dies with it.
    const TestResponse again = withRefreshToken("/api/v1/auth/refresh", token0);
    EXPECT_EQ(again.status, 401);
    EXPECT_EQ(withRefreshToken("/api/v1/auth/refresh", token1).status, 401);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'auth.refresh_reuse'")), 1);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL")), 0);

    EXPECT_EQ(withRefreshToken("/api/v1/auth/refresh", QStringLiteral("atr_doesnotexist")).status, 401);
    EXPECT_EQ(withRefreshToken("/api/v1/auth/refresh", QStringLiteral("' OR 1=1 --")).status, 401);
}

TEST_F(AuthTest, LogoutRevokesTheFamily)
{
    const TestResponse r0 = login(kEmail, kPassword);
    ASSERT_EQ(r0.status, 200);
    const TestResponse r1 = withRefreshToken("/api/v1/auth/refresh", field(r0, "refreshToken"));
    ASSERT_EQ(r1.status, 200);
    const TestResponse other = login(kEmail, kPassword); // another device, another family
    ASSERT_EQ(other.status, 200);

    EXPECT_EQ(withRefreshToken("/api/v1/auth/logout", field(r1, "refreshToken")).status, 200);
    EXPECT_EQ(withRefreshToken("/api/v1/auth/refresh", field(r1, "refreshToken")).status, 401);
    EXPECT_EQ(withRefreshToken("/api/v1/auth/refresh", field(other, "refreshToken")).status, 200);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'auth.logout'")), 1);
}

TEST_F(AuthTest, LogoutAllRevokesEveryFamily)
{
    const TestResponse a = login(kEmail, kPassword);
    const TestResponse b = login(kEmail, kPassword);
    ASSERT_EQ(a.status, 200);
    ASSERT_EQ(b.status, 200);

    EXPECT_EQ(call("POST", "/api/v1/auth/logout-all", "{}").status, 401);
    const TestResponse all = call("POST", "/api/v1/auth/logout-all", "{}", field(a, "accessToken").toLatin1());
    ASSERT_EQ(all.status, 200) << all.body.toStdString();
    EXPECT_EQ(all.json().value(QStringLiteral("revoked")).toInt(), 2);
    EXPECT_EQ(withRefreshToken("/api/v1/auth/refresh", field(a, "refreshToken")).status, 401);
    EXPECT_EQ(withRefreshToken("/api/v1/auth/refresh", field(b, "refreshToken")).status, 401);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'auth.logout_all'")), 1);
}

TEST_F(AuthTest, HostileAccessTokensAreRefused)
{
    const TestResponse r = login(kEmail, kPassword);
    ASSERT_EQ(r.status, 200);
    const QString good = field(r, "accessToken");
    const auto &jwt = server->auth()->jwt();
    const QString kid = jwt.keyRing().active()->kid();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject claims{{QStringLiteral("sub"), userId.toString(QUuid::WithoutBraces)},
                             {QStringLiteral("tid"), tenantId.toString(QUuid::WithoutBraces)},
                             {QStringLiteral("role"), QStringLiteral("admin")},
                             {QStringLiteral("iss"), QStringLiteral("atende")},
                             {QStringLiteral("iat"), double(now)},
                             {QStringLiteral("exp"), double(now + 600)}};

    QList<QByteArray> hostile;
    hostile << "garbage"
            << "a.b.c" << QByteArray(Jwt::kMaxTokenLength + 1, 'x');
    // alg none
    hostile << unsignedJwt(
                   {{QStringLiteral("alg"), QStringLiteral("none")}, {QStringLiteral("typ"), QStringLiteral("JWT")}},
                   claims) +
                   '.';
    // Right kid, wrong key.
    {
        auto other = server::security::SigningKey::generate(kid);
        ASSERT_TRUE(other.ok());
        server::security::KeyRing ring;
        ASSERT_TRUE(ring.rotateTo(other.value()).ok());
        auto forged = server::security::Jwt(ring).sign(claims);
        ASSERT_TRUE(forged.ok());
        hostile << forged->toLatin1();
    }
    // Unknown kid.
    {
        auto other = server::security::SigningKey::generate(QStringLiteral("someone-else"));
        ASSERT_TRUE(other.ok());
        server::security::KeyRing ring;
        ASSERT_TRUE(ring.rotateTo(other.value()).ok());
        hostile << server::security::Jwt(ring).sign(claims)->toLatin1();
    }
    // Our key, but expired.
    {
        QJsonObject expired = claims;
        expired[QStringLiteral("exp")] = double(now - 60);
        auto t = jwt.sign(expired);
        ASSERT_TRUE(t.ok());
        hostile << t->toLatin1();
    }
    // Our signature with one payload byte changed.
    {
        QByteArray t = good.toLatin1();
        const qsizetype dot = t.indexOf('.');
        t[dot + 5] = t[dot + 5] == 'A' ? 'B' : 'A';
        hostile << t;
    }

    const qint64 tokensBefore = count(QStringLiteral("SELECT count(*) FROM refresh_tokens"));
    const qint64 auditBefore = count(QStringLiteral("SELECT count(*) FROM audit_log"));
    for (const QByteArray &token : hostile) {
        const TestResponse me = call("GET", "/api/v1/auth/me", {}, token);
        EXPECT_EQ(me.status, 401) << token.left(80).toStdString();
        EXPECT_EQ(me.json().value(QStringLiteral("code")).toString(), QStringLiteral("unauthenticated"));
        EXPECT_EQ(call("POST", "/api/v1/auth/logout-all", "{}", token).status, 401);
    }
    // Larger than the HTTP layer takes in one header: refused before authentication.
    const int oversized = call("GET", "/api/v1/auth/me", {}, QByteArray(64 * 1024, 'x')).status;
    EXPECT_TRUE(oversized == 401 || oversized == 431) << oversized;
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM refresh_tokens")), tokensBefore);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL")), 0);
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) FROM audit_log")), auditBefore);
    EXPECT_EQ(call("GET", "/api/v1/auth/me", {}, good.toLatin1()).status, 200);
}

TEST_F(AuthTest, BruteForceIsThrottled)
{
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(login(kEmail, QStringLiteral("guess %1").arg(i)).status, 401) << i;
    const TestResponse sixth = login(kEmail, QStringLiteral("guess 6"));
    ASSERT_EQ(sixth.status, 429) << sixth.body.toStdString();
    EXPECT_EQ(sixth.json().value(QStringLiteral("code")).toString(), QStringLiteral("rate_limited"));
    EXPECT_GE(sixth.header("retry-after").toInt(), 1);
    EXPECT_GE(sixth.json().value(QStringLiteral("details")).toObject().value(QStringLiteral("retryAfter")).toInt(), 1);
    // Even the right password waits out the lock.
    EXPECT_EQ(login(kEmail, kPassword).status, 429);
}
