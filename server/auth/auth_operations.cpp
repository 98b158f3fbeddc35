#include "server/auth/auth_operations.h"

#include "server/auth/auth_service.h"

#include "server/api/permissions.h"

#include "atende/api/v1/auth.pb.h"

#include <QPointer>

namespace atende::server::auth {

namespace v1 = atende::api::v1;

namespace {

using atende::core::Error;
using atende::core::Result;
namespace errc = atende::core::errc;

QString peerText(const api::CallContext &ctx)
{
    return ctx.peer.isNull() ? QString() : ctx.peer.toString();
}

Error gone()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

Error notSignedIn()
{
    return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
}

v1::AuthTokens toProto(const AuthTokens &t)
{
    v1::AuthTokens r;
    r.set_access_token(t.accessToken.toStdString());
    r.set_refresh_token(t.refreshToken.toStdString());
    r.set_expires_in(t.expiresIn);
    r.set_token_type("Bearer");
    return r;
}

} // namespace

void addAuthOperations(api::OperationTable &table, AuthService &service)
{
    const QPointer<AuthService> svc(&service);
    const QString pub = QLatin1String(api::perm::kPublic);
    const QString self = QLatin1String(api::perm::kSelf);

    table.add(api::makeOperation<v1::LoginRequest, v1::AuthTokens>(
        QStringLiteral("auth.login"), "POST", QStringLiteral("/api/v1/auth/login"), pub,
        QStringLiteral("Signs in with email and password; returns an access token and a refresh token."),
        [svc](api::CallContext ctx, v1::LoginRequest req) -> QCoro::Task<Result<v1::AuthTokens>> {
            if (!svc)
                co_return gone();
            const QString email = QString::fromStdString(req.email());
            const QString password = QString::fromStdString(req.password());
            const QString ip = peerText(ctx);
            Result<AuthTokens> r = co_await svc->login(email, password, ip);
            if (!r.ok())
                co_return r.error();
            const v1::AuthTokens tokens = toProto(r.value());
            co_return tokens;
        }));

    table.add(api::makeOperation<v1::RefreshRequest, v1::AuthTokens>(
        QStringLiteral("auth.refresh"), "POST", QStringLiteral("/api/v1/auth/refresh"), pub,
        QStringLiteral("Exchanges a refresh token for new tokens; each refresh token works once."),
        [svc](api::CallContext ctx, v1::RefreshRequest req) -> QCoro::Task<Result<v1::AuthTokens>> {
            if (!svc)
                co_return gone();
            const QString token = QString::fromStdString(req.refresh_token());
            const QString ip = peerText(ctx);
            Result<AuthTokens> r = co_await svc->refresh(token, ip);
            if (!r.ok())
                co_return r.error();
            const v1::AuthTokens tokens = toProto(r.value());
            co_return tokens;
        }));

    table.add(api::makeOperation<v1::LogoutRequest, v1::LogoutResponse>(
        QStringLiteral("auth.logout"), "POST", QStringLiteral("/api/v1/auth/logout"), pub,
        QStringLiteral("Revokes the refresh token and every token rotated from the same sign-in."),
        [svc](api::CallContext ctx, v1::LogoutRequest req) -> QCoro::Task<Result<v1::LogoutResponse>> {
            if (!svc)
                co_return gone();
            const QString token = QString::fromStdString(req.refresh_token());
            const QString ip = peerText(ctx);
            atende::core::Status st = co_await svc->logout(token, ip);
            if (!st.ok())
                co_return st.error();
            const v1::LogoutResponse done;
            co_return done;
        }));

    table.add(api::makeOperation<v1::LogoutAllRequest, v1::LogoutAllResponse>(
        QStringLiteral("auth.logout_all"), "POST", QStringLiteral("/api/v1/auth/logout-all"), self,
        QStringLiteral("Signs the calling user out everywhere (revokes all their refresh tokens)."),
        [svc](api::CallContext ctx, v1::LogoutAllRequest) -> QCoro::Task<Result<v1::LogoutAllResponse>> {
            if (!svc)
                co_return gone();
            const QUuid tenantId = QUuid::fromString(ctx.tenantId);
            const QUuid userId = QUuid::fromString(ctx.userId);
            if (tenantId.isNull() || userId.isNull())
                co_return notSignedIn();
            const QString ip = peerText(ctx);
            Result<int> n = co_await svc->logoutAll(tenantId, userId, ip);
            if (!n.ok())
                co_return n.error();
            v1::LogoutAllResponse r;
            r.set_revoked(n.value());
            co_return r;
        }));

    table.add(api::makeOperation<v1::MeRequest, v1::MeResponse>(
        QStringLiteral("auth.me"), "GET", QStringLiteral("/api/v1/auth/me"), self,
        QStringLiteral("The signed-in user: id, tenant, email, name and role."),
        [svc](api::CallContext ctx, v1::MeRequest) -> QCoro::Task<Result<v1::MeResponse>> {
            if (!svc)
                co_return gone();
            const QUuid tenantId = QUuid::fromString(ctx.tenantId);
            const QUuid userId = QUuid::fromString(ctx.userId);
            if (tenantId.isNull() || userId.isNull())
                co_return notSignedIn();
            Result<Me> me = co_await svc->me(tenantId, userId);
            if (!me.ok())
                co_return me.error();
            v1::MeResponse r;
            r.set_user_id(me->userId.toString(QUuid::WithoutBraces).toStdString());
            r.set_tenant_id(me->tenantId.toString(QUuid::WithoutBraces).toStdString());
            r.set_email(me->email.toStdString());
            r.set_name(me->name.toStdString());
            r.set_role(me->role.toStdString());
            co_return r;
        }));
}

api::Authenticator makeAuthenticator(const AuthService &service, ApiTokenAuthenticator apiTokens)
{
    const QPointer<const AuthService> svc(&service);
    return [svc, apiTokens = std::move(apiTokens)](QString token) -> QCoro::Task<Result<api::Principal>> {
        if (!svc)
            co_return gone();
        if (token.startsWith(QLatin1String("atk_"))) {
            if (!apiTokens)
                co_return notSignedIn();
            Result<api::Principal> p = co_await apiTokens(std::move(token));
            co_return p;
        }
        Result<Principal> p = svc->authenticate(token);
        if (!p.ok())
            co_return p.error();
        api::Principal out;
        out.tenantId = p->tenantId;
        out.userId = p->userId;
        out.role = p->role;
        out.permissions = api::perm::rolePermissions(p->role);
        out.expiresAt = p->expiresAt;
        co_return out;
    };
}

} // namespace atende::server::auth
