#include "server/auth/refresh_token_repository.h"

#include "server/db/sql_util.h"
#include "server/security/opaque_token.h"

#include <QSqlQuery>
#include <QVariant>

namespace atende::server::auth {

namespace {

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

} // namespace

atende::core::Result<std::optional<RefreshTokenRef>> RefreshTokenRepository::findByHash(QSqlDatabase &db,
                                                                                        const QString &hash)
{
    db::Query q(db, QStringLiteral("SELECT tenant_id, id FROM auth_find_refresh_token(?)"));
    q.addBindValue(hash);
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<RefreshTokenRef>();
    RefreshTokenRef r;
    r.tenantId = QUuid::fromString(q.value(0).toString());
    r.id = QUuid::fromString(q.value(1).toString());
    return std::optional<RefreshTokenRef>(r);
}

atende::core::Result<std::optional<RefreshTokenState>>
RefreshTokenRepository::lock(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id)
{
    db::Query q(db,
                QStringLiteral(
                    "SELECT family_id, user_id, used_at IS NOT NULL, revoked_at IS NOT NULL, "
                    "expires_at <= now() FROM refresh_tokens WHERE tenant_id = ?::uuid AND id = ?::uuid FOR UPDATE"));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(id));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<RefreshTokenState>();
    RefreshTokenState r;
    r.familyId = QUuid::fromString(q.value(0).toString());
    r.userId = QUuid::fromString(q.value(1).toString());
    r.used = q.value(2).toBool();
    r.revoked = q.value(3).toBool();
    r.expired = q.value(4).toBool();
    return std::optional<RefreshTokenState>(r);
}

atende::core::Result<IssuedRefreshToken> RefreshTokenRepository::issue(QSqlDatabase &db, const QUuid &tenantId,
                                                                       const QUuid &userId, const QUuid &familyId,
                                                                       qint64 lifetimeSeconds)
{
    atende::core::Result<QString> token = security::generateToken(security::TokenKind::Refresh);
    if (!token.ok())
        return token.error();
    IssuedRefreshToken issued;
    issued.id = QUuid::createUuid();
    issued.token = token.value();
    db::Query q(
        db, QStringLiteral("INSERT INTO refresh_tokens (tenant_id, id, family_id, user_id, token_hash, expires_at) "
                           "VALUES (?::uuid, ?::uuid, ?::uuid, ?::uuid, ?, now() + make_interval(secs => ?::float8))"));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(issued.id));
    q.addBindValue(uuidText(familyId));
    q.addBindValue(uuidText(userId));
    q.addBindValue(security::tokenHash(issued.token));
    q.addBindValue(double(lifetimeSeconds));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    return issued;
}

atende::core::Status RefreshTokenRepository::markUsed(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id)
{
    db::Query q(db,
                QStringLiteral("UPDATE refresh_tokens SET used_at = now() WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(id));
    return db::exec(q);
}

atende::core::Result<int> RefreshTokenRepository::revokeFamily(QSqlDatabase &db, const QUuid &tenantId,
                                                               const QUuid &familyId)
{
    db::Query q(db, QStringLiteral("UPDATE refresh_tokens SET revoked_at = now() "
                                   "WHERE tenant_id = ?::uuid AND family_id = ?::uuid AND revoked_at IS NULL"));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(familyId));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    return q.numRowsAffected();
}

atende::core::Result<int> RefreshTokenRepository::revokeUser(QSqlDatabase &db, const QUuid &tenantId,
                                                             const QUuid &userId)
{
    db::Query q(db, QStringLiteral("UPDATE refresh_tokens SET revoked_at = now() "
                                   "WHERE tenant_id = ?::uuid AND user_id = ?::uuid AND revoked_at IS NULL"));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(userId));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    return q.numRowsAffected();
}

} // namespace atende::server::auth
