#include "server/api/rest_router.h"

#include "server/api/docs_page.h"
#include "server/api/json_codec.h"

#include <QUuid>

namespace atende::server::api {

namespace {

// The token of "Authorization: Bearer <token>" (scheme case-insensitive); empty when absent or another
// scheme. Tokens are ASCII; anything longer than a JWT may be is cut so it fails verification cheaply.
QString bearerToken(const HttpRequest &request)
{
    const QByteArray value = request.header("authorization").trimmed();
    constexpr QByteArrayView kScheme("bearer ");
    if (value.size() <= kScheme.size() || !value.left(kScheme.size()).toLower().startsWith(kScheme))
        return {};
    return QString::fromLatin1(value.mid(kScheme.size()).trimmed().left(16 * 1024));
}

} // namespace

RestRouter::RestRouter(Dispatcher &dispatcher, Metrics &metrics, QObject *parent)
    : QObject(parent)
    , m_dispatcher(dispatcher)
    , m_metrics(metrics)
{}

void RestRouter::reply(const HttpResponder &responder, const HttpResponse &response)
{
    m_metrics.countHttp(response.status);
    responder.send(response);
}

void RestRouter::replyError(const HttpResponder &responder, const atende::core::Error &error, int status)
{
    HttpResponse r = HttpResponse::json(status ? status : httpStatusFor(error.code), errorJson(error));
    if (error.code == QLatin1String(atende::core::errc::kRateLimited) &&
        error.details.contains(QStringLiteral("retryAfter")))
        r.headers.append({QByteArrayLiteral("Retry-After"),
                          QByteArray::number(error.details.value(QStringLiteral("retryAfter")).toInt())});
    reply(responder, r);
}

void RestRouter::handle(HttpRequest request, HttpResponder responder)
{
    const QByteArray &path = request.path;
    if (path == "/healthz") {
        HttpResponse r = HttpResponse::json(200, QByteArrayLiteral("{\"status\":\"alive\"}"));
        reply(responder, r);
        return;
    }
    if (path == "/readyz") {
        handleReady(std::move(responder));
        return;
    }
    if (path == "/metrics") {
        HttpResponse r;
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        r.body = m_metrics.render();
        reply(responder, r);
        return;
    }
    if (path == "/docs/json") {
        reply(responder, HttpResponse::json(200, m_openApiJson));
        return;
    }
    if (path == "/docs" || path == "/docs/") {
        HttpResponse r;
        r.contentType = "text/html; charset=utf-8";
        r.body = docsPageHtml();
        reply(responder, r);
        return;
    }
    handleApi(std::move(request), std::move(responder));
}

QCoro::Task<> RestRouter::handleReady(HttpResponder responder)
{
    QPointer<RestRouter> self(this);
    if (m_shuttingDown) {
        replyError(responder, atende::core::Error::make(atende::core::errc::kShuttingDown,
                                                        QStringLiteral("the server is shutting down")));
        co_return;
    }
    atende::core::Status st = m_ready ? co_await m_ready() : atende::core::Status{};
    if (!self)
        co_return;
    if (!st.ok()) {
        replyError(responder, st.error(), 503);
        co_return;
    }
    reply(responder, HttpResponse::json(200, QByteArrayLiteral("{\"status\":\"ready\"}")));
}

QCoro::Task<> RestRouter::handleApi(HttpRequest request, HttpResponder responder)
{
    QPointer<RestRouter> self(this);
    QMap<QString, QString> params;
    bool methodMismatch = false;
    const Operation *op = m_dispatcher.table().match(request.method, request.path, &params, &methodMismatch);
    if (!op) {
        if (methodMismatch)
            replyError(responder, atende::core::Error::make(atende::core::errc::kMethodNotAllowed,
                                                            QStringLiteral("method %1 is not allowed on this path")
                                                                .arg(QString::fromLatin1(request.method.left(16)))));
        else
            replyError(responder,
                       atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such endpoint")));
        co_return;
    }
    if (m_shuttingDown) {
        replyError(responder, atende::core::Error::make(atende::core::errc::kShuttingDown,
                                                        QStringLiteral("the server is shutting down")));
        co_return;
    }

    MessagePtr message = op->newRequest();
    if (!request.body.isEmpty()) {
        const QByteArray ct = request.header("content-type").toLower();
        if (!ct.isEmpty() && !ct.startsWith("application/json")) {
            replyError(responder, atende::core::Error::make(atende::core::errc::kUnsupportedMediaType,
                                                            QStringLiteral("send the body as application/json")));
            co_return;
        }
        if (atende::core::Status st = parseJson(request.body, message.get()); !st.ok()) {
            replyError(responder, st.error());
            co_return;
        }
    }
    if (atende::core::Status st = bindQuery(request.query, message.get()); !st.ok()) {
        replyError(responder, st.error());
        co_return;
    }
    if (atende::core::Status st = bindParameters(params, message.get()); !st.ok()) {
        replyError(responder, st.error());
        co_return;
    }

    CallContext ctx;
    ctx.transport = Transport::Rest;
    ctx.peer = request.peer;
    ctx.requestId = QString::fromLatin1(request.header("x-request-id").left(64));
    if (ctx.requestId.isEmpty())
        ctx.requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    ctx.bearerToken = bearerToken(request);

    atende::core::Result<MessagePtr> result = co_await m_dispatcher.call(op, std::move(ctx), std::move(message));
    if (!self)
        co_return;
    if (!result.ok()) {
        replyError(responder, result.error());
        co_return;
    }
    reply(responder, HttpResponse::json(200, toJson(*result.value())));
}

} // namespace atende::server::api
