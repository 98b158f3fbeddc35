#pragma once
// Private to the message operation files (message_operations.cpp, search_operations.cpp): one helper that
// turns "check the service and the caller, run this body with the CallContext" into an operation, and the
// parsing shared by the page requests.

#include "server/accounts/accounts_validation.h"
#include "server/api/operation.h"
#include "server/api/permissions.h"
#include "server/desk/desk_validation.h"
#include "server/desk/message_repository.h"
#include "server/desk/messages_service.h"

#include "atende/api/v1/messages.pb.h"

#include <QLoggingCategory>
#include <QPointer>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcDesk)

namespace atende::server::desk {

using atende::core::Error;
using atende::core::Result;
using atende::server::accounts::invalidField;
namespace errc = atende::core::errc;

using ServicePtr = QPointer<MessagesService>;
template <typename Req, typename Resp>
using Body = std::function<QCoro::Task<Result<Resp>>(MessagesService &, api::CallContext, Req)>;

template <typename Req, typename Resp>
void addMessageOperation(api::OperationTable &table, const ServicePtr &svc, QString name, QByteArray method,
                         QString path, const char *permission, QString summary, Body<Req, Resp> body)
{
    api::Operation op = api::makeOperation<Req, Resp>(
        name, std::move(method), std::move(path), QString::fromLatin1(permission), std::move(summary),
        [svc, body](api::CallContext ctx, Req req) -> QCoro::Task<Result<Resp>> {
            if (!svc)
                co_return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
            if (QUuid::fromString(ctx.tenantId).isNull() || QUuid::fromString(ctx.userId).isNull())
                co_return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
            auto rTask = body(*svc, std::move(ctx), std::move(req));
            Result<Resp> r = co_await rTask;
            co_return r;
        });
    if (!table.add(std::move(op)))
        qCCritical(lcDesk) << "operation" << name << "was refused by the operation table";
}

inline Result<int> pageLimit(quint32 limit, int fallback, int max)
{
    if (limit > quint32(max))
        return invalidField(QStringLiteral("limit"), QStringLiteral("out_of_range"),
                            QStringLiteral("limit may be at most %1").arg(max));
    return limit == 0 ? fallback : int(limit);
}

inline Result<std::optional<MessageCursor>> cursorField(const std::string &text, const QString &field)
{
    if (text.empty())
        return std::optional<MessageCursor>();
    std::optional<MessageCursor> c = decodeMessageCursor(QString::fromStdString(text));
    if (!c)
        return invalidField(field, QStringLiteral("invalid_cursor"),
                            QStringLiteral("%1 is not a cursor returned by this API").arg(field));
    return c;
}

inline std::string idText(const QUuid &id)
{
    return id.isNull() ? std::string() : id.toString(QUuid::WithoutBraces).toStdString();
}

inline std::string timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

void addSearchOperations(api::OperationTable &table, const ServicePtr &svc);

} // namespace atende::server::desk
