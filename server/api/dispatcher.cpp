#include "server/api/dispatcher.h"

#include "server/api/permissions.h"
#include "server/api/request_checks.h"

#include <QJsonObject>
#include <QLoggingCategory>

#include <exception>

Q_LOGGING_CATEGORY(lcApi, "atende.server.api")

namespace atende::server::api {

int httpStatusFor(const QString &code)
{
    static const QHash<QString, int> map{
        {QLatin1String(atende::core::errc::kInvalidArgument), 400},
        {QLatin1String(atende::core::errc::kMalformedJson), 400},
        {QLatin1String(atende::core::errc::kUnknownField), 400},
        {QLatin1String(atende::core::errc::kMalformedRequest), 400},
        {QLatin1String(atende::core::errc::kUnauthenticated), 401},
        {QLatin1String(atende::core::errc::kPermissionDenied), 403},
        {QLatin1String(atende::core::errc::kNotFound), 404},
        {QLatin1String(atende::core::errc::kMethodNotAllowed), 405},
        {QLatin1String(atende::core::errc::kConflict), 409},
        {QLatin1String(atende::core::errc::kPayloadTooLarge), 413},
        {QLatin1String(atende::core::errc::kUnsupportedMediaType), 415},
        {QLatin1String(atende::core::errc::kRateLimited), 429},
        {QLatin1String(atende::core::errc::kInternal), 500},
        {QLatin1String(atende::core::errc::kUnavailable), 503},
        {QLatin1String(atende::core::errc::kShuttingDown), 503},
    };
    return map.value(code, 500);
}

Dispatcher::Dispatcher(const OperationTable &table, Metrics &metrics)
    : m_table(table)
    , m_metrics(metrics)
{}

void applyPrincipal(CallContext &ctx, const Principal &p)
{
    ctx.tenantId = p.tenantId.toString(QUuid::WithoutBraces);
    ctx.userId = p.userId.isNull() ? QString() : p.userId.toString(QUuid::WithoutBraces);
    ctx.role = p.role;
    ctx.apiTokenId = p.apiTokenId.isNull() ? QString() : p.apiTokenId.toString(QUuid::WithoutBraces);
    ctx.permissions = p.permissions;
}

atende::core::Status checkPermission(const CallContext &ctx, const Operation &op)
{
    const auto denied = [] {
        return atende::core::Error::make(atende::core::errc::kPermissionDenied,
                                         QStringLiteral("you are not allowed to do this"));
    };
    if (op.permission == QLatin1String(perm::kPublic))
        return {};
    if (op.permission == QLatin1String(perm::kSelf))
        return ctx.isApiToken() || ctx.userId.isEmpty() ? denied() : atende::core::Status{};
    return ctx.permissions.contains(op.permission) ? atende::core::Status{} : denied();
}

void Dispatcher::setAuthenticator(Authenticator authenticator)
{
    m_authenticator = std::move(authenticator);
    m_authorizer = nullptr;
}

void Dispatcher::setRateLimits(const RateLimits &limits)
{
    const auto make = [](double burst, double perSecond) -> std::unique_ptr<security::RateLimiter> {
        if (perSecond <= 0 || burst <= 0)
            return nullptr;
        security::RateLimitPolicy p;
        p.capacity = burst;
        p.refillPerSecond = perSecond;
        return std::make_unique<security::RateLimiter>(p);
    };
    m_ipLimiter = make(limits.ipBurst, limits.ipPerSecond);
    m_userLimiter = make(limits.userBurst, limits.userPerSecond);
}

atende::core::Status Dispatcher::spend(std::unique_ptr<security::RateLimiter> &limiter, const QString &key)
{
    if (!limiter)
        return {};
    const security::RateDecision d = limiter->tryAcquire(key);
    if (d.allowed)
        return {};
    ++m_rateLimited;
    return atende::core::Error::make(atende::core::errc::kRateLimited, QStringLiteral("too many requests; slow down"),
                                     QJsonObject{{QStringLiteral("retryAfter"), double(d.retryAfterSeconds)}});
}

QCoro::Task<atende::core::Result<Principal>> Dispatcher::authenticate(QString token) const
{
    if (!m_authenticator)
        co_return atende::core::Error::make(atende::core::errc::kUnauthenticated, QStringLiteral("sign in first"));
    if (token.isEmpty())
        co_return atende::core::Error::make(atende::core::errc::kUnauthenticated, QStringLiteral("sign in first"));
    const Authenticator authenticator = m_authenticator; // the coroutine owns its copy
    co_return co_await authenticator(std::move(token));
}

QCoro::Task<atende::core::Status> Dispatcher::authorize(CallContext &ctx, const Operation &op)
{
    if (!ctx.peer.isNull())
        if (atende::core::Status st = spend(m_ipLimiter, QStringLiteral("ip:") + ctx.peer.toString()); !st.ok())
            co_return st;
    if (op.permission == QLatin1String(perm::kPublic))
        co_return atende::core::Status{};
    if (m_authorizer) {
        const Authorizer authorizer = m_authorizer;
        atende::core::Status st = co_await authorizer(ctx, op);
        co_return st;
    }
    if (!m_authenticator)
        // Without an authenticator only public operations run: fail closed.
        co_return atende::core::Error::make(atende::core::errc::kUnauthenticated, QStringLiteral("sign in first"));
    atende::core::Result<Principal> p = co_await authenticate(ctx.bearerToken);
    if (!p.ok())
        co_return p.error();
    applyPrincipal(ctx, p.value());
    const QString who = ctx.isApiToken() ? QStringLiteral("token:") + ctx.apiTokenId : QStringLiteral("user:") + ctx.userId;
    if (atende::core::Status st = spend(m_userLimiter, who); !st.ok())
        co_return st;
    co_return checkPermission(ctx, op);
}

QCoro::Task<atende::core::Result<MessagePtr>> Dispatcher::call(const Operation *op, CallContext ctx, MessagePtr request)
{
    QElapsedTimer timer;
    timer.start();
    const QString name = op->name;
    const QString transport = ctx.transport == Transport::Rest        ? QStringLiteral("rest")
                              : ctx.transport == Transport::WebSocket ? QStringLiteral("ws")
                                                                      : QStringLiteral("internal");
    atende::core::Result<MessagePtr> result =
        atende::core::Error::make(atende::core::errc::kInternal, QStringLiteral("internal error"));
    atende::core::Status allowed = co_await authorize(ctx, *op);
    if (allowed.ok() && request)
        allowed = checkRequestText(*request);
    if (!allowed.ok()) {
        result = allowed.error();
    } else {
        // Copy the handler: the coroutine must not depend on anything but its own frame.
        const Operation::Handler handler = op->handler;
        try {
            result = co_await handler(std::move(ctx), std::move(request));
        } catch (const std::exception &e) {
            qCCritical(lcApi) << "operation" << name << "threw:" << e.what();
        } catch (...) {
            qCCritical(lcApi) << "operation" << name << "threw a non-standard exception";
        }
    }
    const int status = result.ok() ? 200 : httpStatusFor(result.error().code);
    m_metrics.observeRequest(name, transport, status, double(timer.nsecsElapsed()) / 1e9);
    co_return result;
}

} // namespace atende::server::api
