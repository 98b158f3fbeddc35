#include "server/tenancy/user_repository.h"

#include "server/db/sql_util.h"
#include "server/security/password_hasher.h"
#include "server/tenancy/audit_log.h"

#include <QJsonObject>
#include <QSqlQuery>

namespace atende::server::tenancy {

namespace {

const QString kColumns = QStringLiteral("tenant_id, id, email, name, role, active, availability, created_at");

User readUser(const QSqlQuery &q)
{
    User u;
    u.tenantId = QUuid::fromString(q.value(0).toString());
    u.id = QUuid::fromString(q.value(1).toString());
    u.email = q.value(2).toString();
    u.name = q.value(3).toString();
    u.role = q.value(4).toString();
    u.active = q.value(5).toBool();
    u.availability = q.value(6).toString();
    u.createdAt = q.value(7).toDateTime();
    return u;
}

atende::core::Error invalid(const QString &message)
{
    return atende::core::Error::make(atende::core::errc::kInvalidArgument, message);
}

} // namespace

const QStringList &UserRepository::roles()
{
    static const QStringList kRoles{QStringLiteral("admin"), QStringLiteral("supervisor"), QStringLiteral("agent")};
    return kRoles;
}

atende::core::Result<User> UserRepository::create(QSqlDatabase &db, const QUuid &tenantId, const NewUser &user,
                                                  const security::PasswordHasher &hasher, const QUuid &actorUserId)
{
    const QString email = user.email.trimmed().toLower();
    const qsizetype at = email.indexOf(QLatin1Char('@'));
    if (at < 1 || at == email.size() - 1 || email.contains(QLatin1Char(' ')))
        return invalid(QStringLiteral("the email address is not valid"));
    if (user.name.trimmed().isEmpty())
        return invalid(QStringLiteral("a user needs a name"));
    if (!roles().contains(user.role))
        return invalid(QStringLiteral("the role must be admin, supervisor or agent"));
    if (user.password.size() < 8)
        return invalid(QStringLiteral("the password must have at least 8 characters"));
    atende::core::Result<QString> hash = hasher.hash(user.password);
    if (!hash.ok())
        return hash.error();

    db::Query q(db, QStringLiteral("INSERT INTO users (tenant_id, email, name, password_hash, role) "
                                   "VALUES (?::uuid, ?, ?, ?, ?) RETURNING %1")
                        .arg(kColumns));
    q.addBindValue(tenantId.toString(QUuid::WithoutBraces));
    q.addBindValue(email);
    q.addBindValue(user.name.trimmed());
    q.addBindValue(hash.value());
    q.addBindValue(user.role);
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kInternal, QStringLiteral("user insert returned nothing"));
    const User created = readUser(q);

    AuditEntry e;
    e.actorUserId = actorUserId;
    e.action = QStringLiteral("user.create");
    e.objectType = QStringLiteral("user");
    e.objectId = created.id.toString(QUuid::WithoutBraces);
    e.after = QJsonObject{{QStringLiteral("email"), created.email},
                          {QStringLiteral("name"), created.name},
                          {QStringLiteral("role"), created.role},
                          {QStringLiteral("active"), created.active}};
    if (auto r = AuditLog::append(db, tenantId, e); !r.ok())
        return r.error();
    return created;
}

atende::core::Result<User> UserRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId)
{
    db::Query q(db, QStringLiteral("SELECT %1 FROM users WHERE tenant_id = ?::uuid AND id = ?::uuid").arg(kColumns));
    q.addBindValue(tenantId.toString(QUuid::WithoutBraces));
    q.addBindValue(userId.toString(QUuid::WithoutBraces));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such user"));
    return readUser(q);
}

atende::core::Result<std::optional<LoginRecord>> UserRepository::findForLogin(QSqlDatabase &db, const QString &email)
{
    db::Query q(
        db, QStringLiteral("SELECT tenant_id, user_id, password_hash, role, active FROM auth_find_user_by_email(?)"));
    q.addBindValue(email.trimmed().toLower());
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<LoginRecord>();
    LoginRecord r;
    r.tenantId = QUuid::fromString(q.value(0).toString());
    r.userId = QUuid::fromString(q.value(1).toString());
    r.passwordHash = q.value(2).toString();
    r.role = q.value(3).toString();
    r.active = q.value(4).toBool();
    return std::optional<LoginRecord>(std::move(r));
}

} // namespace atende::server::tenancy
