#pragma once
// Private to the ticket *_operations.cpp files: "check the service, check the caller is signed in, run this
// body with the CallContext" as an operation of the table, and the request checks they share.

#include "server/api/operation.h"
#include "server/api/permissions.h"
#include "server/desk/tickets_service.h"

#include "atende/api/v1/tickets.pb.h"

#include <QPointer>

#include <functional>

namespace atende::server::desk {

using TicketsPtr = QPointer<TicketsService>;

atende::core::Error deskServiceGone();
void addDeskOperation(api::OperationTable &table, api::Operation op);

template <typename Req, typename Resp>
using TicketBody = std::function<QCoro::Task<atende::core::Result<Resp>>(TicketsService &, api::CallContext, Req)>;

template <typename Req, typename Resp>
void addTicketOperation(api::OperationTable &table, const TicketsPtr &svc, QString name, QByteArray method,
                        QString path, const char *permission, QString summary, TicketBody<Req, Resp> body)
{
    addDeskOperation(table,
                     api::makeOperation<Req, Resp>(
                         std::move(name), std::move(method), std::move(path), QString::fromLatin1(permission),
                         std::move(summary),
                         [svc, body](api::CallContext ctx, Req req) -> QCoro::Task<atende::core::Result<Resp>> {
                             if (!svc)
                                 co_return deskServiceGone();
                             if (QUuid::fromString(ctx.tenantId).isNull() || QUuid::fromString(ctx.userId).isNull())
                                 co_return atende::core::Error::make(atende::core::errc::kUnauthenticated,
                                                                     QStringLiteral("sign in first"));
                             auto rTask = body(*svc, std::move(ctx), std::move(req));
                             atende::core::Result<Resp> r = co_await rTask;
                             co_return r;
                         }));
}

// The reply of every ticket-returning operation.
atende::core::Result<atende::api::v1::Ticket> ticketReply(const atende::core::Result<TicketRecord> &r);
// An optional id: empty -> null, else a UUID (invalid_uuid).
atende::core::Result<QUuid> optionalId(const std::string &text, const QString &field);
// Trimmed free text of at most maxLength characters (too_long); required -> not empty (required).
atende::core::Result<QString> checkedText(const std::string &text, const QString &field, qsizetype maxLength,
                                          bool required = false);

void addTicketReadOperations(api::OperationTable &table, const TicketsPtr &svc);
void addTicketWorkOperations(api::OperationTable &table, const TicketsPtr &svc);

} // namespace atende::server::desk
