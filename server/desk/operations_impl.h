#pragma once
// Private to the desk *_operations.cpp files: one helper that turns "check the service, take the actor from
// CallContext, run this body" into an operation of the table.

#include "server/api/operation.h"
#include "server/api/permissions.h"
#include "server/desk/contacts_service.h"

#include <QPointer>

#include <functional>

namespace atende::server::desk {

using ServicePtr = QPointer<ContactsService>;

atende::core::Error deskServiceGone();
// The tenant and user of a signed-in caller; unauthenticated when the authorizer did not fill them.
atende::core::Result<Actor> deskActorOf(const api::CallContext &ctx);
// Adds op; logs when the table refuses it (duplicate name or path).
void addDeskOperation(api::OperationTable &table, api::Operation op);

template <typename Req, typename Resp>
using DeskBody = std::function<QCoro::Task<atende::core::Result<Resp>>(ContactsService &, Actor, Req)>;

template <typename Req, typename Resp>
void addDeskOperation(api::OperationTable &table, const ServicePtr &svc, QString name, QByteArray method, QString path,
                      const char *permission, QString summary, DeskBody<Req, Resp> body)
{
    addDeskOperation(table, api::makeOperation<Req, Resp>(
                                std::move(name), std::move(method), std::move(path), QString::fromLatin1(permission),
                                std::move(summary),
                                [svc, body](api::CallContext ctx, Req req) -> QCoro::Task<atende::core::Result<Resp>> {
                                    if (!svc)
                                        co_return deskServiceGone();
                                    atende::core::Result<Actor> actor = deskActorOf(ctx);
                                    if (!actor.ok())
                                        co_return actor.error();
                                    auto rTask = body(*svc, actor.value(), std::move(req));
                                    atende::core::Result<Resp> r = co_await rTask;
                                    co_return r;
                                }));
}

void addContactOperations(api::OperationTable &table, const ServicePtr &svc);
void addConnectionOperations(api::OperationTable &table, const ServicePtr &svc);

} // namespace atende::server::desk
