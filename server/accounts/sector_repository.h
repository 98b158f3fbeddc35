#pragma once
// SQL for a tenant's sectors and their members. Runs inside runTenant() for that tenant; ids unknown to
// the tenant are not_found; a second sector with the same name (ignoring case) is a conflict.

#include "common/core/result.h"
#include "server/accounts/account_types.h"

#include <QList>
#include <QSqlDatabase>

namespace atende::server::accounts {

class SectorRepository {
public:
    // Ordered by name; `search` is literal text matched against the name.
    static atende::core::Result<QList<SectorRecord>> list(QSqlDatabase &db, const QUuid &tenantId,
                                                          const QString &search);
    static atende::core::Result<SectorRecord> find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId,
                                                   bool forUpdate = false);
    // Inserts name, color, greeting and reopen window of `sector`; returns the new id.
    static atende::core::Result<QUuid> insert(QSqlDatabase &db, const QUuid &tenantId, const SectorRecord &sector);
    static atende::core::Status update(QSqlDatabase &db, const QUuid &tenantId, const SectorRecord &sector);
    // Memberships go with the sector (ON DELETE CASCADE).
    static atende::core::Status remove(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId);
    // Replaces the members (the users must exist, see UserAdminRepository::countExisting).
    static atende::core::Status setMembers(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sectorId,
                                           const QList<QUuid> &userIds);
    // How many of `ids` are sectors of the tenant.
    static atende::core::Result<int> countExisting(QSqlDatabase &db, const QUuid &tenantId, const QList<QUuid> &ids);
};

} // namespace atende::server::accounts
