#include "server/core/demo_tenant.h"

#include "server/db/db_executor.h"
#include "server/db/sql_util.h"
#include "server/security/password_generator.h"
#include "server/security/password_hasher.h"
#include "server/tenancy/audit_log.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"

#include <QSqlQuery>

namespace atende::server::core {

namespace {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

Result<QUuid> ensureSector(QSqlDatabase &db, const QUuid &tenant, const QString &name, const QString &color)
{
    db::Query q(db, QStringLiteral("SELECT id FROM sectors WHERE tenant_id = ? AND lower(name) = lower(?)"));
    q.addBindValue(uuidText(tenant));
    q.addBindValue(name);
    if (Status st = db::exec(q); !st.ok())
        return st.error();
    if (q.next())
        return QUuid::fromString(q.value(0).toString());
    db::Query ins(db, QStringLiteral("INSERT INTO sectors (tenant_id, name, color) VALUES (?, ?, ?) RETURNING id"));
    ins.addBindValue(uuidText(tenant));
    ins.addBindValue(name);
    ins.addBindValue(color);
    if (Status st = db::exec(ins); !st.ok())
        return st.error();
    if (!ins.next())
        return Error::make(errc::kInternal, QStringLiteral("sector not created"));
    return QUuid::fromString(ins.value(0).toString());
}

// Sets a new password for an existing user (and revokes their refresh tokens), audit-logged.
Status resetPassword(QSqlDatabase &db, const QUuid &tenant, const QString &email, const QString &hash,
                     const QString &via = QStringLiteral("admin demo command"))
{
    db::Query q(db, QStringLiteral("UPDATE users SET password_hash = ?, active = true, updated_at = now() "
                                   "WHERE tenant_id = ? AND email = ? RETURNING id"));
    q.addBindValue(hash);
    q.addBindValue(uuidText(tenant));
    q.addBindValue(email);
    if (Status st = db::exec(q); !st.ok())
        return st;
    if (!q.next())
        return Error::make(errc::kNotFound, QStringLiteral("no such user"));
    const QString userId = q.value(0).toString();
    db::Query revoke(db,
                     QStringLiteral("UPDATE refresh_tokens SET revoked_at = now() WHERE tenant_id = ? AND user_id = ? "
                                    "AND revoked_at IS NULL"));
    revoke.addBindValue(uuidText(tenant));
    revoke.addBindValue(userId);
    if (Status st = db::exec(revoke); !st.ok())
        return st;
    tenancy::AuditEntry e;
    e.action = QStringLiteral("user.password_reset");
    e.objectType = QStringLiteral("user");
    e.objectId = userId;
    e.after = QJsonObject{{QStringLiteral("password"), QStringLiteral("changed")}, {QStringLiteral("by"), via}};
    Result<tenancy::AuditRecord> a = tenancy::AuditLog::append(db, tenant, e);
    return a.ok() ? Status{} : Status(a.error());
}

Status addMember(QSqlDatabase &db, const QUuid &tenant, const QUuid &user, const QUuid &sector)
{
    db::Query q(db, QStringLiteral("INSERT INTO user_sectors (tenant_id, user_id, sector_id) VALUES (?, ?, ?) "
                                   "ON CONFLICT DO NOTHING"));
    q.addBindValue(uuidText(tenant));
    q.addBindValue(uuidText(user));
    q.addBindValue(uuidText(sector));
    return db::exec(q);
}

} // namespace

Result<DemoTenant> ensureDemoTenant(db::DbExecutor &executor, const QString &slug)
{
    DemoTenant demo;
    demo.slug = slug;
    Result<tenancy::Tenant> found =
        executor.run([slug](QSqlDatabase &db) { return tenancy::TenantRepository::findBySlug(db, slug); }).result();
    QUuid tenantId;
    if (found.ok()) {
        tenantId = found->id;
    } else if (found.error().code == QLatin1String(errc::kNotFound)) {
        tenantId = tenancy::TenantRepository::newId();
        Result<tenancy::Tenant> t = executor
                                        .runTenant(tenantId,
                                                   [tenantId, slug](QSqlDatabase &db) {
                                                       return tenancy::TenantRepository::create(
                                                           db, tenantId, QStringLiteral("Demonstração Atende"), slug);
                                                   })
                                        .result();
        if (!t.ok())
            return t.error();
        demo.created = true;
    } else {
        return found.error();
    }

    const security::PasswordHasher hasher;
    for (const QString &role : {QStringLiteral("admin"), QStringLiteral("supervisor"), QStringLiteral("agent")}) {
        Result<QString> password = security::generatePassword();
        if (!password.ok())
            return password.error();
        const QString email = QStringLiteral("%1@%2.atende.example").arg(role, slug);
        const QString pw = password.value();
        const QString displayName = role == QLatin1String("admin")        ? QStringLiteral("Ana Admin")
                                    : role == QLatin1String("supervisor") ? QStringLiteral("Sérgio Supervisor")
                                                                          : QStringLiteral("Alice Atendente");
        Result<bool> done =
            executor
                .runTenant(tenantId,
                           [tenantId, role, email, pw, displayName, hasher](QSqlDatabase &db) -> Result<bool> {
                               Result<QString> hash = hasher.hash(pw);
                               if (!hash.ok())
                                   return hash.error();
                               Status reset = resetPassword(db, tenantId, email, hash.value());
                               QUuid userId;
                               if (reset.ok()) {
                                   db::Query q(
                                       db, QStringLiteral("SELECT id FROM users WHERE tenant_id = ? AND email = ?"));
                                   q.addBindValue(uuidText(tenantId));
                                   q.addBindValue(email);
                                   if (Status st = db::exec(q); !st.ok() || !q.next())
                                       return Error::make(errc::kInternal, QStringLiteral("demo user vanished"));
                                   userId = QUuid::fromString(q.value(0).toString());
                               } else if (reset.error().code == QLatin1String(errc::kNotFound)) {
                                   tenancy::NewUser nu{email, displayName, role, pw};
                                   Result<tenancy::User> u = tenancy::UserRepository::create(db, tenantId, nu, hasher);
                                   if (!u.ok())
                                       return u.error();
                                   userId = u->id;
                               } else {
                                   return reset.error();
                               }
                               if (role == QLatin1String("admin"))
                                   return true;
                               for (const auto &[name, color] :
                                    {std::pair{QStringLiteral("Suporte"), QStringLiteral("#2e7d32")},
                                     std::pair{QStringLiteral("Vendas"), QStringLiteral("#1565c0")}}) {
                                   Result<QUuid> sector = ensureSector(db, tenantId, name, color);
                                   if (!sector.ok())
                                       return sector.error();
                                   if (Status st = addMember(db, tenantId, userId, sector.value()); !st.ok())
                                       return st.error();
                                   if (role == QLatin1String("agent"))
                                       break; // the agent works in Suporte only
                               }
                               return true;
                           })
                .result();
        if (!done.ok())
            return done.error();
        demo.users.append(DemoSignIn{role, email, pw});
    }
    return demo;
}

Result<QString> resetPasswordByEmail(db::DbExecutor &executor, const QString &rawEmail)
{
    const QString email = rawEmail.trimmed().toLower();
    Result<std::optional<tenancy::LoginRecord>> found =
        executor.run([email](QSqlDatabase &db) { return tenancy::UserRepository::findForLogin(db, email); }).result();
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return Error::make(errc::kNotFound, QStringLiteral("no user has this email"));
    const QUuid tenantId = found->value().tenantId;
    Result<QString> password = security::generatePassword();
    if (!password.ok())
        return password.error();
    const QString pw = password.value();
    const security::PasswordHasher hasher;
    Result<bool> done = executor
                            .runTenant(tenantId,
                                       [tenantId, email, pw, hasher](QSqlDatabase &db) -> Result<bool> {
                                           Result<QString> hash = hasher.hash(pw);
                                           if (!hash.ok())
                                               return hash.error();
                                           Status st = resetPassword(db, tenantId, email, hash.value(),
                                                                     QStringLiteral("admin reset-password command"));
                                           if (!st.ok())
                                               return st.error();
                                           return true;
                                       })
                            .result();
    if (!done.ok())
        return done.error();
    return pw;
}

} // namespace atende::server::core
