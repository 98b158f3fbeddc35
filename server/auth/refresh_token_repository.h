#pragma once
// Rows of refresh_tokens (migration 0003). Synchronous; runs inside a DbExecutor call. findByHash() is the
// pre-tenant step (through the SECURITY DEFINER function auth_find_refresh_token); everything else runs
// inside runTenant() for the token's tenant.
#include "common/core/result.h"

#include <QSqlDatabase>
#include <QString>
#include <QUuid>
#include <optional>

namespace atende::server::auth {

struct RefreshTokenRef {
    QUuid tenantId;
    QUuid id;
};

struct RefreshTokenState {
    QUuid familyId;
    QUuid userId;
    bool used = false;
    bool revoked = false;
    bool expired = false;
};

struct IssuedRefreshToken {
    QUuid id;
    QString token; // the plaintext, shown to the client once; only its hash is stored
};

class RefreshTokenRepository {
public:
    static atende::core::Result<std::optional<RefreshTokenRef>> findByHash(QSqlDatabase &db, const QString &hash);
    // Locks the row (FOR UPDATE) so concurrent refreshes of one token queue up; std::nullopt when absent.
    static atende::core::Result<std::optional<RefreshTokenState>> lock(QSqlDatabase &db, const QUuid &tenantId,
                                                                       const QUuid &id);
    static atende::core::Result<IssuedRefreshToken> issue(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                                          const QUuid &familyId, qint64 lifetimeSeconds);
    static atende::core::Status markUsed(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id);
    // Both return how many tokens were newly revoked.
    static atende::core::Result<int> revokeFamily(QSqlDatabase &db, const QUuid &tenantId, const QUuid &familyId);
    static atende::core::Result<int> revokeUser(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId);
};

} // namespace atende::server::auth
