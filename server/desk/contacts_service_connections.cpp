// ContactsService: WhatsApp connections as records (issue 4 item 2).

#include "server/api/permissions.h"
#include "server/desk/connection_repository.h"
#include "server/desk/contacts_service_impl.h"
#include "server/desk/desk_proto.h"
#include "server/desk/desk_validation.h"

namespace atende::server::desk {

using atende::core::Result;
using atende::core::Status;

namespace {

// Audit row + event of one connection change.
Status record(QSqlDatabase &db, Outbox &outbox, const Actor &actor, const QString &action,
              const std::optional<ConnectionRecord> &before, const ConnectionRecord &after, bool deleted)
{
    std::optional<QJsonObject> beforeJson;
    if (before)
        beforeJson = auditJson(*before);
    if (Status s = audit(db, actor, action, QStringLiteral("connection"), after.id, beforeJson, auditJson(after));
        !s.ok())
        return s;
    return outbox.add(db, actor.tenantId, api::perm::kConnectionsRead, connectionChangedEvent(after, deleted));
}

} // namespace

QCoro::Task<Result<QList<ConnectionRecord>>> ContactsService::connections(QUuid tenantId)
{
    auto rTask = query<QList<ConnectionRecord>>(
        tenantId, [tenantId](QSqlDatabase &db) { return ConnectionRepository::list(db, tenantId); });
    Result<QList<ConnectionRecord>> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ConnectionRecord>> ContactsService::connection(QUuid tenantId, QUuid connectionId)
{
    auto rTask = query<ConnectionRecord>(tenantId, [tenantId, connectionId](QSqlDatabase &db) {
        return ConnectionRepository::find(db, tenantId, connectionId);
    });
    Result<ConnectionRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ConnectionRecord>> ContactsService::createConnection(Actor actor, ConnectionPatch patch)
{
    if (Status s = checkConnectionPatch(patch, true); !s.ok())
        co_return s.error();
    auto rTask = commit<ConnectionRecord>(
        actor.tenantId, [actor, patch](QSqlDatabase &db) -> Result<Committed<ConnectionRecord>> {
            ConnectionRecord c;
            c.name = patch.name.value_or(QString());
            c.kind = patch.kind.value_or(QString());
            c.ignoreGroups = patch.ignoreGroups.value_or(true);
            c.sendReadReceipts = patch.sendReadReceipts.value_or(true);
            Result<QUuid> id = ConnectionRepository::insert(db, actor.tenantId, c);
            if (!id.ok())
                return id.error();
            Result<ConnectionRecord> after = ConnectionRepository::find(db, actor.tenantId, id.value());
            if (!after.ok())
                return after.error();
            Committed<ConnectionRecord> out{after.value(), {}};
            if (Status s =
                    record(db, out.outbox, actor, QStringLiteral("connections.create"), std::nullopt, out.value, false);
                !s.ok())
                return s.error();
            return out;
        });
    Result<ConnectionRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<ConnectionRecord>> ContactsService::updateConnection(Actor actor, QUuid connectionId,
                                                                        ConnectionPatch patch)
{
    if (Status s = checkConnectionPatch(patch, false); !s.ok())
        co_return s.error();
    auto rTask = commit<ConnectionRecord>(
        actor.tenantId, [actor, connectionId, patch](QSqlDatabase &db) -> Result<Committed<ConnectionRecord>> {
            Result<ConnectionRecord> before = ConnectionRepository::find(db, actor.tenantId, connectionId, true);
            if (!before.ok())
                return before.error();
            ConnectionRecord c = before.value();
            c.name = patch.name.value_or(c.name);
            c.ignoreGroups = patch.ignoreGroups.value_or(c.ignoreGroups);
            c.sendReadReceipts = patch.sendReadReceipts.value_or(c.sendReadReceipts);
            if (Status s = ConnectionRepository::update(db, actor.tenantId, c); !s.ok())
                return s.error();
            Result<ConnectionRecord> after = ConnectionRepository::find(db, actor.tenantId, connectionId);
            if (!after.ok())
                return after.error();
            Committed<ConnectionRecord> out{after.value(), {}};
            if (Status s = record(db, out.outbox, actor, QStringLiteral("connections.update"), before.value(),
                                  out.value, false);
                !s.ok())
                return s.error();
            return out;
        });
    Result<ConnectionRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Status> ContactsService::deleteConnection(Actor actor, QUuid connectionId)
{
    auto rTask = commit<bool>(actor.tenantId, [actor, connectionId](QSqlDatabase &db) -> Result<Committed<bool>> {
        Result<ConnectionRecord> before = ConnectionRepository::find(db, actor.tenantId, connectionId, true);
        if (!before.ok())
            return before.error();
        if (Status s = ConnectionRepository::softDelete(db, actor.tenantId, connectionId); !s.ok())
            return s.error();
        ConnectionRecord after = before.value();
        after.deleted = true;
        Committed<bool> out{true, {}};
        if (Status s = record(db, out.outbox, actor, QStringLiteral("connections.delete"), before.value(), after, true);
            !s.ok())
            return s.error();
        return out;
    });
    Result<bool> r = co_await rTask;
    if (!r.ok())
        co_return r.error();
    co_return Status();
}

} // namespace atende::server::desk
