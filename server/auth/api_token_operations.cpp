#include "server/auth/api_token_operations.h"

#include "server/api/permissions.h"
#include "server/auth/api_token_service.h"

#include "atende/api/v1/api_tokens.pb.h"

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

// The caller's tenant and user, as the Authorizer filled them; an API token may never manage tokens.
Result<std::pair<QUuid, QUuid>> tokenManager(const api::CallContext &ctx)
{
    if (ctx.isApiToken())
        return Error::make(errc::kPermissionDenied, QStringLiteral("API tokens cannot manage API tokens"));
    const QUuid tenantId = QUuid::fromString(ctx.tenantId);
    const QUuid userId = QUuid::fromString(ctx.userId);
    if (tenantId.isNull() || userId.isNull())
        return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
    return std::pair<QUuid, QUuid>(tenantId, userId);
}

std::string timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

void fill(const ApiToken &t, v1::ApiToken *out)
{
    out->set_id(t.id.toString(QUuid::WithoutBraces).toStdString());
    out->set_name(t.name.toStdString());
    for (const QString &s : t.scopes)
        out->add_scopes(s.toStdString());
    out->set_prefix(t.prefix.toStdString());
    out->set_created_by(t.createdBy.toString(QUuid::WithoutBraces).toStdString());
    out->set_created_at(timeText(t.createdAt));
    out->set_expires_at(timeText(t.expiresAt));
    out->set_last_used_at(timeText(t.lastUsedAt));
    out->set_revoked_at(timeText(t.revokedAt));
}

} // namespace

void addApiTokenOperations(api::OperationTable &table, ApiTokenService &service)
{
    const QPointer<ApiTokenService> svc(&service);
    const QString manage = QLatin1String(api::perm::kApiTokensManage);

    table.add(api::makeOperation<v1::ListApiTokensRequest, v1::ListApiTokensResponse>(
        QStringLiteral("api_tokens.list"), "GET", QStringLiteral("/api/v1/api-tokens"), manage,
        QStringLiteral("The tenant's API tokens (never the tokens themselves), newest first."),
        [svc](api::CallContext ctx, v1::ListApiTokensRequest) -> QCoro::Task<Result<v1::ListApiTokensResponse>> {
            if (!svc)
                co_return gone();
            Result<std::pair<QUuid, QUuid>> who = tokenManager(ctx);
            if (!who.ok())
                co_return who.error();
            const QUuid tenantId = who->first;
            Result<QList<ApiToken>> listed = co_await svc->list(tenantId);
            if (!listed.ok())
                co_return listed.error();
            v1::ListApiTokensResponse r;
            for (const ApiToken &t : listed.value())
                fill(t, r.add_api_tokens());
            co_return r;
        }));

    table.add(api::makeOperation<v1::CreateApiTokenRequest, v1::CreateApiTokenResponse>(
        QStringLiteral("api_tokens.create"), "POST", QStringLiteral("/api/v1/api-tokens"), manage,
        QStringLiteral("Creates an API token with the given scopes; the token is returned only this once."),
        [svc](api::CallContext ctx, v1::CreateApiTokenRequest req) -> QCoro::Task<Result<v1::CreateApiTokenResponse>> {
            if (!svc)
                co_return gone();
            Result<std::pair<QUuid, QUuid>> who = tokenManager(ctx);
            if (!who.ok())
                co_return who.error();
            const QUuid tenantId = who->first;
            const QUuid userId = who->second;
            const QString name = QString::fromStdString(req.name());
            QStringList scopes;
            for (const std::string &s : req.scopes())
                scopes.append(QString::fromStdString(s));
            const int days = req.expires_in_days();
            const QString ip = peerText(ctx);
            Result<CreatedApiToken> created = co_await svc->create(tenantId, userId, ip, name, scopes, days);
            if (!created.ok())
                co_return created.error();
            v1::CreateApiTokenResponse r;
            r.set_token(created->token.toStdString());
            fill(created->info, r.mutable_api_token());
            co_return r;
        }));

    table.add(api::makeOperation<v1::RevokeApiTokenRequest, v1::RevokeApiTokenResponse>(
        QStringLiteral("api_tokens.revoke"), "DELETE", QStringLiteral("/api/v1/api-tokens/{id}"), manage,
        QStringLiteral("Revokes an API token at once; revoking it again is not an error."),
        [svc](api::CallContext ctx, v1::RevokeApiTokenRequest req) -> QCoro::Task<Result<v1::RevokeApiTokenResponse>> {
            if (!svc)
                co_return gone();
            Result<std::pair<QUuid, QUuid>> who = tokenManager(ctx);
            if (!who.ok())
                co_return who.error();
            const QUuid tenantId = who->first;
            const QUuid userId = who->second;
            const QUuid id = QUuid::fromString(QString::fromStdString(req.id()));
            if (id.isNull())
                co_return Error::make(errc::kNotFound, QStringLiteral("no such API token"));
            const QString ip = peerText(ctx);
            Result<ApiToken> revoked = co_await svc->revoke(tenantId, id, userId, ip);
            if (!revoked.ok())
                co_return revoked.error();
            v1::RevokeApiTokenResponse r;
            fill(revoked.value(), r.mutable_api_token());
            co_return r;
        }));
}

api::Authenticator makeApiTokenAuthenticator(ApiTokenService &service)
{
    const QPointer<ApiTokenService> svc(&service);
    return [svc](QString token) -> QCoro::Task<Result<api::Principal>> {
        if (!svc)
            co_return gone();
        Result<ApiTokenPrincipal> p = co_await svc->authenticate(std::move(token));
        if (!p.ok())
            co_return p.error();
        api::Principal out;
        out.tenantId = p->tenantId;
        out.userId = p->createdBy;
        out.apiTokenId = p->tokenId;
        out.permissions = p->permissions;
        out.expiresAt = p->expiresAt;
        co_return out;
    };
}

} // namespace atende::server::auth
