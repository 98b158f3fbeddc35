#pragma once
// SQL for administering a tenant's users (the accounts module): listing with filters, reading and writing
// the profile, role, active flag and availability, password hashes, refresh-token revocation and sector
// memberships. Runs inside runTenant() for that tenant; RLS binds every statement to it, and every
// statement names the tenant as well. Ids unknown to the tenant are not_found.

#include "common/core/result.h"
#include "server/accounts/account_types.h"

#include <QList>
#include <QSqlDatabase>

namespace atende::server::accounts {

class UserAdminRepository {
public:
    // Ordered by name, then id.
    static atende::core::Result<QList<UserRecord>> list(QSqlDatabase &db, const QUuid &tenantId,
                                                        const UserFilter &filter);
    // forUpdate locks the user's row until the transaction ends.
    static atende::core::Result<UserRecord> find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                                 bool forUpdate = false);
    // conflict when the email is taken (in any tenant).
    static atende::core::Result<QUuid> insert(QSqlDatabase &db, const QUuid &tenantId, const NewAccount &account,
                                              const QString &passwordHash);
    // Writes email, name, role, active, availability and pause reason of `user`.
    static atende::core::Status update(QSqlDatabase &db, const QUuid &tenantId, const UserRecord &user);

    static atende::core::Result<QString> passwordHash(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId);
    static atende::core::Status setPasswordHash(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                                const QString &hash);
    // Revokes every live refresh token of the user; returns how many.
    static atende::core::Result<int> revokeRefreshTokens(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId);

    // Replaces the user's sector memberships (the sectors must exist, see SectorRepository::countExisting).
    static atende::core::Status setSectors(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                           const QList<QUuid> &sectorIds);
    // How many of `ids` are users of the tenant.
    static atende::core::Result<int> countExisting(QSqlDatabase &db, const QUuid &tenantId, const QList<QUuid> &ids);
};

} // namespace atende::server::accounts
