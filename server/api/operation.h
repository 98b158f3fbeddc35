#pragma once
// The operation table (ARCHITECTURE.md decision 2): every API operation is declared once — name, HTTP
// method and path, request/response protobuf types, the permission it needs and its handler — and that
// one declaration drives the REST router, the WebSocket RPC dispatcher and the OpenAPI document.

#include "common/core/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

#include <google/protobuf/message.h>
#include <qcoro/qcorotask.h>

#include <functional>
#include <memory>

namespace atende::server::api {

using MessagePtr = std::unique_ptr<google::protobuf::Message>;

// Permission names. "public" needs no credentials; every other operation names what it needs and the
// accounts module decides who holds it.
namespace perm {
inline constexpr auto kPublic = "public";
} // namespace perm

enum class Transport { Rest, WebSocket, InProcess };

// Who is calling and how. Passed by value into handlers (coroutines must not hold references).
struct CallContext {
    Transport transport = Transport::InProcess;
    QHostAddress peer;
    QString requestId;
    QString bearerToken; // REST "Authorization: Bearer <token>"; empty when absent
    // Filled by the Dispatcher's Authorizer for non-public operations.
    QString tenantId;
    QString userId;     // the signed-in user; for an API token, the admin who created it
    QString role;       // "admin" | "supervisor" | "agent"; empty for API tokens
    QString apiTokenId; // set when the caller used an API token instead of a user's access token
    QSet<QString> permissions;

    bool can(const char *permission) const { return permissions.contains(QLatin1String(permission)); }
    bool isApiToken() const { return !apiTokenId.isEmpty(); }
};

struct Operation {
    using Handler = std::function<QCoro::Task<atende::core::Result<MessagePtr>>(CallContext, MessagePtr)>;

    QString name;      // "system.ping"
    QByteArray method; // "GET", "POST", "PUT", "PATCH", "DELETE"
    QString path;      // "/api/v1/system/ping"; "{field}" segments bind request fields
    const google::protobuf::Descriptor *request = nullptr;
    const google::protobuf::Descriptor *response = nullptr;
    QString permission;
    QString summary; // one line for the docs
    QString tag;     // docs grouping, e.g. "system"
    Handler handler;

    MessagePtr newRequest() const;
};

// Declares an operation with typed request/response; the handler gets its own request type.
template <typename Req, typename Resp>
Operation makeOperation(QString name, QByteArray method, QString path, QString permission, QString summary,
                        std::function<QCoro::Task<atende::core::Result<Resp>>(CallContext, Req)> fn)
{
    Operation op;
    op.name = std::move(name);
    op.method = std::move(method);
    op.path = std::move(path);
    op.request = Req::descriptor();
    op.response = Resp::descriptor();
    op.permission = std::move(permission);
    op.summary = std::move(summary);
    op.tag = op.name.section(QLatin1Char('.'), 0, 0);
    op.handler = [fn = std::move(fn)](CallContext ctx,
                                      MessagePtr request) -> QCoro::Task<atende::core::Result<MessagePtr>> {
        // The router built `request` from op.request, so it is a Req.
        Req typed = std::move(*static_cast<Req *>(request.get()));
        atende::core::Result<Resp> r = co_await fn(std::move(ctx), std::move(typed));
        if (!r.ok())
            co_return r.error();
        co_return MessagePtr(new Resp(std::move(r).value()));
    };
    return op;
}

class OperationTable {
public:
    // Rejects (returns false) a duplicate name, a duplicate method+path, or a missing permission.
    bool add(Operation op);

    const Operation *find(const QString &name) const;
    // Matches "/api/v1/tickets/123" against "/api/v1/tickets/{id}"; fills pathParams.
    // methodMismatch is set when the path exists with another method (-> 405).
    const Operation *match(const QByteArray &method, const QByteArray &path, QMap<QString, QString> *pathParams,
                           bool *methodMismatch) const;
    const QList<Operation> &all() const { return m_ops; }

private:
    QList<Operation> m_ops;
};

} // namespace atende::server::api
