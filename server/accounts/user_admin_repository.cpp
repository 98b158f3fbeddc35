#include "server/accounts/user_admin_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"

#include <QJsonObject>
#include <QSqlQuery>
#include <QStringList>

namespace atende::server::accounts {

namespace {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

const QString kSelect =
    QStringLiteral("SELECT u.id, u.email, u.name, u.role, u.active, u.availability, u.pause_reason, "
                   "(SELECT string_agg(us.sector_id::text, ',') FROM user_sectors us "
                   " WHERE us.tenant_id = u.tenant_id AND us.user_id = u.id) "
                   "FROM users u");

UserRecord readUser(const QSqlQuery &q)
{
    UserRecord u;
    u.id = QUuid::fromString(q.value(0).toString());
    u.email = q.value(1).toString();
    u.name = q.value(2).toString();
    u.role = q.value(3).toString();
    u.active = q.value(4).toBool();
    u.availability = q.value(5).toString();
    u.pauseReason = q.value(6).toString();
    u.sectorIds = sql::uuidList(q.value(7));
    return u;
}

Error noSuchUser()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such user"));
}

// The only unique constraint a user write can hit is the (global) email.
Status execWrite(QSqlQuery &q)
{
    Status s = db::exec(q);
    if (!s.ok() && s.error().code == QLatin1String(atende::core::errc::kConflict))
        return Error::make(atende::core::errc::kConflict, QStringLiteral("this email address is already in use"),
                           QJsonObject{{QStringLiteral("field"), QStringLiteral("email")},
                                       {QStringLiteral("reason"), QStringLiteral("email_taken")}});
    return s;
}

} // namespace

Result<QList<UserRecord>> UserAdminRepository::list(QSqlDatabase &db, const QUuid &tenantId, const UserFilter &filter)
{
    QStringList where{QStringLiteral("u.tenant_id = ?::uuid")};
    QVariantList values{sql::text(tenantId)};
    if (!filter.search.isEmpty()) {
        where.append(QStringLiteral("(u.name ILIKE ? ESCAPE '\\' OR u.email ILIKE ? ESCAPE '\\')"));
        const QString pattern = sql::containsPattern(filter.search);
        values << pattern << pattern;
    }
    if (!filter.role.isEmpty()) {
        where.append(QStringLiteral("u.role = ?"));
        values << filter.role;
    }
    if (filter.active) {
        where.append(QStringLiteral("u.active = ?"));
        values << *filter.active;
    }
    if (!filter.sectorId.isNull()) {
        where.append(QStringLiteral("EXISTS (SELECT 1 FROM user_sectors f WHERE f.tenant_id = u.tenant_id "
                                    "AND f.user_id = u.id AND f.sector_id = ?::uuid)"));
        values << sql::text(filter.sectorId);
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(kSelect + QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND ")) +
              QStringLiteral(" ORDER BY lower(u.name), u.id"));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<UserRecord> out;
    while (q.next())
        out.append(readUser(q));
    return out;
}

Result<UserRecord> UserAdminRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                             bool forUpdate)
{
    db::Query q(db, kSelect + QStringLiteral(" WHERE u.tenant_id = ?::uuid AND u.id = ?::uuid") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE OF u") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(userId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return noSuchUser();
    return readUser(q);
}

Result<QUuid> UserAdminRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const NewAccount &account,
                                          const QString &passwordHash)
{
    db::Query q(db, QStringLiteral("INSERT INTO users (tenant_id, email, name, password_hash, role) "
                                   "VALUES (?::uuid, ?, ?, ?, ?) RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(account.email);
    q.addBindValue(account.name);
    q.addBindValue(passwordHash);
    q.addBindValue(account.role);
    if (Status s = execWrite(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("user insert returned nothing"));
    return QUuid::fromString(q.value(0).toString());
}

Status UserAdminRepository::update(QSqlDatabase &db, const QUuid &tenantId, const UserRecord &user)
{
    db::Query q(db, QStringLiteral("UPDATE users SET email = ?, name = ?, role = ?, active = ?, availability = ?, "
                                   "pause_reason = ?, updated_at = now() WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(user.email);
    q.addBindValue(user.name);
    q.addBindValue(user.role);
    q.addBindValue(user.active);
    q.addBindValue(user.availability);
    q.addBindValue(sql::nullable(user.pauseReason));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(user.id));
    if (Status s = execWrite(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchUser());
}

Result<QString> UserAdminRepository::passwordHash(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId)
{
    db::Query q(
        db, QStringLiteral("SELECT password_hash FROM users WHERE tenant_id = ?::uuid AND id = ?::uuid AND active"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(userId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return noSuchUser();
    return q.value(0).toString();
}

Status UserAdminRepository::setPasswordHash(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                            const QString &hash)
{
    db::Query q(db, QStringLiteral("UPDATE users SET password_hash = ?, updated_at = now() "
                                   "WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(hash);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(userId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchUser());
}

Result<int> UserAdminRepository::revokeRefreshTokens(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId)
{
    db::Query q(db, QStringLiteral("UPDATE refresh_tokens SET revoked_at = now() "
                                   "WHERE tenant_id = ?::uuid AND user_id = ?::uuid AND revoked_at IS NULL"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(userId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.numRowsAffected();
}

Status UserAdminRepository::setSectors(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId,
                                       const QList<QUuid> &sectorIds)
{
    db::Query q(db, QStringLiteral("DELETE FROM user_sectors WHERE tenant_id = ?::uuid AND user_id = ?::uuid"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(userId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (sectorIds.isEmpty())
        return {};
    db::Query insert(db, QStringLiteral("INSERT INTO user_sectors (tenant_id, user_id, sector_id) "
                                        "SELECT ?::uuid, ?::uuid, s FROM unnest(?::uuid[]) AS s"));
    insert.addBindValue(sql::text(tenantId));
    insert.addBindValue(sql::text(userId));
    insert.addBindValue(sql::uuidArray(sectorIds));
    return db::exec(insert);
}

Result<int> UserAdminRepository::countExisting(QSqlDatabase &db, const QUuid &tenantId, const QList<QUuid> &ids)
{
    if (ids.isEmpty())
        return 0;
    db::Query q(db, QStringLiteral("SELECT count(*) FROM users WHERE tenant_id = ?::uuid AND id = ANY(?::uuid[])"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::uuidArray(ids));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace atende::server::accounts
