#pragma once
// Rows of api_tokens (migration 0005). Synchronous; runs inside a DbExecutor call. findByHash() is the
// pre-tenant step (through the SECURITY DEFINER function auth_find_api_token); everything else runs inside
// runTenant() for the token's tenant. Nothing here ever reads token_hash back out of the database.
#include "common/core/result.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace atende::server::auth {

// What an admin may see of a token: never its hash or plaintext. Null QDateTime = not set.
struct ApiToken {
    QUuid tenantId;
    QUuid id;
    QString name;
    QStringList scopes;
    QString prefix; // the first 8 characters after "atk_"
    QUuid createdBy;
    QDateTime createdAt;
    QDateTime expiresAt;
    QDateTime lastUsedAt;
    QDateTime revokedAt;
    QUuid revokedBy;
};

struct NewApiToken {
    QUuid id;
    QString name;
    QStringList scopes;
    QString tokenHash;
    QString prefix;
    QUuid createdBy;
    int expiresInDays = 0; // 0 = never
};

// The answer of auth_find_api_token(): enough to decide whether a presented token is valid.
struct ApiTokenLookup {
    QUuid tenantId;
    QUuid id;
    QStringList scopes;
    QUuid createdBy;
    QDateTime expiresAt;
    bool revoked = false;
    bool creatorActive = false;
    bool tenantActive = false;
};

class ApiTokenRepository {
public:
    static atende::core::Result<std::optional<ApiTokenLookup>> findByHash(QSqlDatabase &db, const QString &hash);
    static atende::core::Result<ApiToken> insert(QSqlDatabase &db, const QUuid &tenantId, const NewApiToken &token);
    // Newest first, revoked ones included.
    static atende::core::Result<QList<ApiToken>> list(QSqlDatabase &db, const QUuid &tenantId);
    // Locks the row (FOR UPDATE); std::nullopt when the tenant has no such token.
    static atende::core::Result<std::optional<ApiToken>> lock(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id);
    // Sets revoked_at/revoked_by unless already revoked; returns the row afterwards.
    static atende::core::Result<ApiToken> revoke(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id,
                                                 const QUuid &actorId);
    // last_used_at = now(), unless it was set less than minIntervalSeconds ago.
    static atende::core::Status touch(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id,
                                      qint64 minIntervalSeconds);
};

} // namespace atende::server::auth
