// sectors.* operations.

#include "server/accounts/accounts_proto.h"
#include "server/accounts/accounts_validation.h"
#include "server/accounts/operations_impl.h"

namespace atende::server::accounts {

namespace v1 = atende::api::v1;
using atende::core::Result;
using atende::core::Status;
using SectorTask = QCoro::Task<Result<v1::Sector>>;

namespace {

void addReadOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addOperation(table, api::makeOperation<v1::ListSectorsRequest, v1::ListSectorsResponse>(
                            QStringLiteral("sectors.list"), "GET", QStringLiteral("/api/v1/sectors"),
                            permission(api::perm::kSectorsRead),
                            QStringLiteral("Sectors of the tenant with their members; filter: search (name)."),
                            [svc](api::CallContext ctx,
                                  v1::ListSectorsRequest req) -> QCoro::Task<Result<v1::ListSectorsResponse>> {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                auto rTask = svc->sectors(actor->tenantId, toQString(req.search()).trimmed());
                                Result<QList<SectorRecord>> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                v1::ListSectorsResponse out;
                                for (const SectorRecord &s : r.value())
                                    *out.add_sectors() = toProto(s);
                                co_return out;
                            }));

    addOperation(table, api::makeOperation<v1::GetSectorRequest, v1::Sector>(
                            QStringLiteral("sectors.get"), "GET", QStringLiteral("/api/v1/sectors/{id}"),
                            permission(api::perm::kSectorsRead), QStringLiteral("One sector with its members."),
                            [svc](api::CallContext ctx, v1::GetSectorRequest req) -> SectorTask {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                                if (!id.ok())
                                    co_return id.error();
                                auto rTask = svc->sector(actor->tenantId, id.value());
                                Result<SectorRecord> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                const v1::Sector out = toProto(r.value());
                                co_return out;
                            }));
}

void addManageOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addOperation(table, api::makeOperation<v1::CreateSectorRequest, v1::Sector>(
                            QStringLiteral("sectors.create"), "POST", QStringLiteral("/api/v1/sectors"),
                            permission(api::perm::kSectorsManage),
                            QStringLiteral("Creates a sector; names are unique per tenant ignoring case."),
                            [svc](api::CallContext ctx, v1::CreateSectorRequest req) -> SectorTask {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                auto rTask = svc->createSector(actor.value(), fromProto(req));
                                Result<SectorRecord> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                const v1::Sector out = toProto(r.value());
                                co_return out;
                            }));

    addOperation(table, api::makeOperation<v1::UpdateSectorRequest, v1::Sector>(
                            QStringLiteral("sectors.update"), "PATCH", QStringLiteral("/api/v1/sectors/{id}"),
                            permission(api::perm::kSectorsManage),
                            QStringLiteral("Changes a sector's name, colour, greeting or reopen window."),
                            [svc](api::CallContext ctx, v1::UpdateSectorRequest req) -> SectorTask {
                                if (!svc)
                                    co_return serviceGone();
                                Result<Actor> actor = actorOf(ctx);
                                if (!actor.ok())
                                    co_return actor.error();
                                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                                if (!id.ok())
                                    co_return id.error();
                                auto rTask = svc->updateSector(actor.value(), id.value(), fromProto(req));
                                Result<SectorRecord> r = co_await rTask;
                                if (!r.ok())
                                    co_return r.error();
                                const v1::Sector out = toProto(r.value());
                                co_return out;
                            }));

    addOperation(
        table,
        api::makeOperation<v1::DeleteSectorRequest, v1::DeleteSectorResponse>(
            QStringLiteral("sectors.delete"), "DELETE", QStringLiteral("/api/v1/sectors/{id}"),
            permission(api::perm::kSectorsManage), QStringLiteral("Deletes a sector; its memberships go with it."),
            [svc](api::CallContext ctx, v1::DeleteSectorRequest req) -> QCoro::Task<Result<v1::DeleteSectorResponse>> {
                if (!svc)
                    co_return serviceGone();
                Result<Actor> actor = actorOf(ctx);
                if (!actor.ok())
                    co_return actor.error();
                Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                if (!id.ok())
                    co_return id.error();
                auto stTask = svc->deleteSector(actor.value(), id.value());
                Status st = co_await stTask;
                if (!st.ok())
                    co_return st.error();
                const v1::DeleteSectorResponse out;
                co_return out;
            }));

    addOperation(table,
                 api::makeOperation<v1::SetSectorMembersRequest, v1::Sector>(
                     QStringLiteral("sectors.set_members"), "PUT", QStringLiteral("/api/v1/sectors/{id}/members"),
                     permission(api::perm::kSectorsManage), QStringLiteral("Replaces the sector's members."),
                     [svc](api::CallContext ctx, v1::SetSectorMembersRequest req) -> SectorTask {
                         if (!svc)
                             co_return serviceGone();
                         Result<Actor> actor = actorOf(ctx);
                         if (!actor.ok())
                             co_return actor.error();
                         Result<QUuid> id = parseId(req.id(), QStringLiteral("id"));
                         if (!id.ok())
                             co_return id.error();
                         Result<QList<QUuid>> users = parseIds(toStringList(req.user_ids()), QStringLiteral("userIds"));
                         if (!users.ok())
                             co_return users.error();
                         auto rTask = svc->setSectorMembers(actor.value(), id.value(), users.value());
                         Result<SectorRecord> r = co_await rTask;
                         if (!r.ok())
                             co_return r.error();
                         const v1::Sector out = toProto(r.value());
                         co_return out;
                     }));
}

} // namespace

void addSectorOperations(api::OperationTable &table, const ServicePtr &svc)
{
    addReadOperations(table, svc);
    addManageOperations(table, svc);
}

} // namespace atende::server::accounts
