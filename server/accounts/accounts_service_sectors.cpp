// AccountsService: sectors and their members.

#include "server/accounts/accounts_proto.h"
#include "server/accounts/accounts_service_impl.h"
#include "server/accounts/accounts_validation.h"
#include "server/accounts/sector_repository.h"
#include "server/accounts/user_admin_repository.h"
#include "server/api/permissions.h"

namespace atende::server::accounts {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

const QString kSector = QStringLiteral("sector");

// Queues UserChanged for each user (their sector list changed) and marks their principal changed.
Status addMemberEvents(QSqlDatabase &db, const QUuid &tenantId, Outbox &outbox, const QList<QUuid> &userIds)
{
    for (const QUuid &id : userIds) {
        Result<UserRecord> u = UserAdminRepository::find(db, tenantId, id);
        if (!u.ok())
            return u.error();
        if (Status s = outbox.add(db, tenantId, api::perm::kUsersRead, userChangedEvent(u.value())); !s.ok())
            return s;
        outbox.principalChanged(id);
    }
    return {};
}

void applyPatch(SectorRecord &sector, const SectorPatch &patch)
{
    sector.name = patch.name.value_or(sector.name);
    sector.color = patch.color.value_or(sector.color);
    sector.greeting = patch.greeting.value_or(sector.greeting);
    sector.reopenWindowMinutes = patch.reopenWindowMinutes.value_or(sector.reopenWindowMinutes);
}

} // namespace

QCoro::Task<Result<QList<SectorRecord>>> AccountsService::sectors(QUuid tenantId, QString search)
{
    auto rTask = query<QList<SectorRecord>>(
        tenantId, [tenantId, search](QSqlDatabase &db) { return SectorRepository::list(db, tenantId, search); });
    Result<QList<SectorRecord>> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<SectorRecord>> AccountsService::sector(QUuid tenantId, QUuid sectorId)
{
    auto rTask = query<SectorRecord>(
        tenantId, [tenantId, sectorId](QSqlDatabase &db) { return SectorRepository::find(db, tenantId, sectorId); });
    Result<SectorRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<SectorRecord>> AccountsService::createSector(Actor actor, SectorPatch patch)
{
    if (!patch.name)
        patch.name = QString();
    if (Status s = checkSectorPatch(patch); !s.ok())
        co_return s.error();
    SectorRecord fresh;
    fresh.reopenWindowMinutes = kDefaultReopenWindowMinutes;
    applyPatch(fresh, patch);
    auto rTask =
        commit<SectorRecord>(actor.tenantId, [actor, fresh](QSqlDatabase &db) -> Result<Committed<SectorRecord>> {
            Result<QUuid> id = SectorRepository::insert(db, actor.tenantId, fresh);
            if (!id.ok())
                return id.error();
            Result<SectorRecord> rec = SectorRepository::find(db, actor.tenantId, id.value());
            if (!rec.ok())
                return rec.error();
            if (Status s = audit(db, actor, QStringLiteral("sector.create"), kSector, rec->id, std::nullopt,
                                 auditJson(rec.value()));
                !s.ok())
                return s.error();
            Committed<SectorRecord> c{rec.value(), {}};
            if (Status s =
                    c.outbox.add(db, actor.tenantId, api::perm::kSectorsRead, sectorChangedEvent(c.value, false));
                !s.ok())
                return s.error();
            return c;
        });
    Result<SectorRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Result<SectorRecord>> AccountsService::updateSector(Actor actor, QUuid sectorId, SectorPatch patch)
{
    if (Status s = checkSectorPatch(patch); !s.ok())
        co_return s.error();
    auto rTask = commit<SectorRecord>(
        actor.tenantId, [actor, sectorId, patch](QSqlDatabase &db) -> Result<Committed<SectorRecord>> {
            Result<SectorRecord> before = SectorRepository::find(db, actor.tenantId, sectorId, true);
            if (!before.ok())
                return before.error();
            SectorRecord after = before.value();
            applyPatch(after, patch);
            if (Status s = SectorRepository::update(db, actor.tenantId, after); !s.ok())
                return s.error();
            if (Status s = audit(db, actor, QStringLiteral("sector.update"), kSector, sectorId,
                                 auditJson(before.value()), auditJson(after));
                !s.ok())
                return s.error();
            Committed<SectorRecord> c{after, {}};
            if (Status s = c.outbox.add(db, actor.tenantId, api::perm::kSectorsRead, sectorChangedEvent(after, false));
                !s.ok())
                return s.error();
            return c;
        });
    Result<SectorRecord> r = co_await rTask;
    co_return r;
}

QCoro::Task<Status> AccountsService::deleteSector(Actor actor, QUuid sectorId)
{
    auto rTask = commit<bool>(actor.tenantId, [actor, sectorId](QSqlDatabase &db) -> Result<Committed<bool>> {
        Result<SectorRecord> before = SectorRepository::find(db, actor.tenantId, sectorId, true);
        if (!before.ok())
            return before.error();
        if (Status s = SectorRepository::remove(db, actor.tenantId, sectorId); !s.ok())
            return s.error();
        if (Status s = audit(db, actor, QStringLiteral("sector.delete"), kSector, sectorId, auditJson(before.value()),
                             std::nullopt);
            !s.ok())
            return s.error();
        Committed<bool> c{true, {}};
        if (Status s =
                c.outbox.add(db, actor.tenantId, api::perm::kSectorsRead, sectorChangedEvent(before.value(), true));
            !s.ok())
            return s.error();
        if (Status s = addMemberEvents(db, actor.tenantId, c.outbox, before->memberIds); !s.ok())
            return s.error();
        return c;
    });
    Result<bool> r = co_await rTask;
    if (!r.ok())
        co_return r.error();
    co_return Status();
}

QCoro::Task<Result<SectorRecord>> AccountsService::setSectorMembers(Actor actor, QUuid sectorId, QList<QUuid> userIds)
{
    auto rTask = commit<SectorRecord>(
        actor.tenantId, [actor, sectorId, userIds](QSqlDatabase &db) -> Result<Committed<SectorRecord>> {
            Result<SectorRecord> before = SectorRepository::find(db, actor.tenantId, sectorId, true);
            if (!before.ok())
                return before.error();
            Result<int> known = UserAdminRepository::countExisting(db, actor.tenantId, userIds);
            if (!known.ok())
                return known.error();
            if (known.value() != userIds.size())
                return Error::make(errc::kNotFound, QStringLiteral("no such user"));
            if (Status s = SectorRepository::setMembers(db, actor.tenantId, sectorId, userIds); !s.ok())
                return s.error();
            Result<SectorRecord> after = SectorRepository::find(db, actor.tenantId, sectorId);
            if (!after.ok())
                return after.error();
            if (Status s = audit(db, actor, QStringLiteral("sector.set_members"), kSector, sectorId,
                                 auditJson(before.value()), auditJson(after.value()));
                !s.ok())
                return s.error();
            Committed<SectorRecord> c{after.value(), {}};
            if (Status s =
                    c.outbox.add(db, actor.tenantId, api::perm::kSectorsRead, sectorChangedEvent(c.value, false));
                !s.ok())
                return s.error();
            QList<QUuid> changed;
            for (const QUuid &id : before->memberIds)
                if (!after->memberIds.contains(id))
                    changed.append(id);
            for (const QUuid &id : after->memberIds)
                if (!before->memberIds.contains(id))
                    changed.append(id);
            if (Status s = addMemberEvents(db, actor.tenantId, c.outbox, changed); !s.ok())
                return s.error();
            return c;
        });
    Result<SectorRecord> r = co_await rTask;
    co_return r;
}

} // namespace atende::server::accounts
