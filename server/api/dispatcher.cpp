#include "server/api/dispatcher.h"

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

atende::core::Status Dispatcher::authorize(CallContext &ctx, const Operation &op) const
{
    if (m_authorizer)
        return m_authorizer(ctx, op);
    // Without an authorizer only public operations run: fail closed.
    if (op.permission == QLatin1String(perm::kPublic))
        return {};
    return atende::core::Error::make(atende::core::errc::kUnauthenticated, QStringLiteral("sign in first"));
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
    if (atende::core::Status st = authorize(ctx, *op); !st.ok()) {
        result = st.error();
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
