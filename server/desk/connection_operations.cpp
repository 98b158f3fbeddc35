// connections.* operations.

#include "server/accounts/accounts_validation.h"
#include "server/desk/desk_proto.h"
#include "server/desk/operations_impl.h"

namespace atende::server::desk {

namespace v1 = atende::api::v1;
using atende::core::Result;
using atende::core::Status;
using atende::server::accounts::parseId;
using ConnectionTask = QCoro::Task<Result<v1::Connection>>;

namespace {

Result<v1::Connection> connectionReply(const Result<ConnectionRecord> &r)
{
    if (!r.ok())
        return r.error();
    return toProto(r.value());
}

} // namespace

void addConnectionOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addDeskOperation<v1::ListConnectionsRequest, v1::ListConnectionsResponse>(
        table, svc, QStringLiteral("connections.list"), "GET", QStringLiteral("/api/v1/connections"),
        api::perm::kConnectionsRead, QStringLiteral("The tenant's WhatsApp connections (deleted ones left out)."),
        [](ContactsService &s, Actor actor,
           v1::ListConnectionsRequest) -> QCoro::Task<Result<v1::ListConnectionsResponse>> {
            auto rTask = s.connections(actor.tenantId);
            Result<QList<ConnectionRecord>> r = co_await rTask;
            if (!r.ok())
                co_return r.error();
            v1::ListConnectionsResponse out;
            for (const ConnectionRecord &c : r.value())
                *out.add_connections() = toProto(c);
            co_return out;
        });

    addDeskOperation<v1::GetConnectionRequest, v1::Connection>(
        table, svc, QStringLiteral("connections.get"), "GET", QStringLiteral("/api/v1/connections/{id}"),
        api::perm::kConnectionsRead, QStringLiteral("One connection."),
        [](ContactsService &s, Actor actor, v1::GetConnectionRequest req) -> ConnectionTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.connection(actor.tenantId, id.value());
            Result<ConnectionRecord> r = co_await rTask;
            co_return connectionReply(r);
        });

    addDeskOperation<v1::CreateConnectionRequest, v1::Connection>(
        table, svc, QStringLiteral("connections.create"), "POST", QStringLiteral("/api/v1/connections"),
        api::perm::kConnectionsManage, QStringLiteral("Creates a connection record (kind whatsapp or test)."),
        [](ContactsService &s, Actor actor, v1::CreateConnectionRequest req) -> ConnectionTask {
            auto rTask = s.createConnection(actor, fromProto(req));
            Result<ConnectionRecord> r = co_await rTask;
            co_return connectionReply(r);
        });

    addDeskOperation<v1::UpdateConnectionRequest, v1::Connection>(
        table, svc, QStringLiteral("connections.update"), "PATCH", QStringLiteral("/api/v1/connections/{id}"),
        api::perm::kConnectionsManage, QStringLiteral("Changes a connection's name, ignore_groups or read receipts."),
        [](ContactsService &s, Actor actor, v1::UpdateConnectionRequest req) -> ConnectionTask {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto rTask = s.updateConnection(actor, id.value(), fromProto(req));
            Result<ConnectionRecord> r = co_await rTask;
            co_return connectionReply(r);
        });

    addDeskOperation<v1::DeleteConnectionRequest, v1::DeleteConnectionResponse>(
        table, svc, QStringLiteral("connections.delete"), "DELETE", QStringLiteral("/api/v1/connections/{id}"),
        api::perm::kConnectionsManage,
        QStringLiteral("Soft-deletes a connection (kept for history, no longer listed)."),
        [](ContactsService &s, Actor actor,
           v1::DeleteConnectionRequest req) -> QCoro::Task<Result<v1::DeleteConnectionResponse>> {
            Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
            if (!id.ok())
                co_return id.error();
            auto stTask = s.deleteConnection(actor, id.value());
            Status st = co_await stTask;
            if (!st.ok())
                co_return st.error();
            const v1::DeleteConnectionResponse out;
            co_return out;
        });
}

} // namespace atende::server::desk
