#include "server/tenancy/tenant_repository.h"

#include "server/db/sql_util.h"
#include "server/tenancy/audit_log.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>

namespace atende::server::tenancy {

namespace {

const QString kColumns = QStringLiteral("id, name, slug, time_zone, language, active, created_at");

Tenant readTenant(const QSqlQuery &q)
{
    Tenant t;
    t.id = QUuid::fromString(q.value(0).toString());
    t.name = q.value(1).toString();
    t.slug = q.value(2).toString();
    t.timeZone = q.value(3).toString();
    t.language = q.value(4).toString();
    t.active = q.value(5).toBool();
    t.createdAt = q.value(6).toDateTime();
    return t;
}

atende::core::Result<Tenant> findOne(QSqlDatabase &db, const QString &condition, const QString &value)
{
    db::Query q(db, QStringLiteral("SELECT %1 FROM tenants WHERE %2").arg(kColumns, condition));
    q.addBindValue(value);
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such tenant"));
    return readTenant(q);
}

} // namespace

atende::core::Result<Tenant> TenantRepository::create(QSqlDatabase &db, const QUuid &id, const QString &name,
                                                      const QString &slug)
{
    static const QRegularExpression slugPattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,62}$"));
    if (id.isNull() || name.trimmed().isEmpty())
        return atende::core::Error::make(atende::core::errc::kInvalidArgument, QStringLiteral("a tenant needs a name"));
    if (!slugPattern.match(slug).hasMatch())
        return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                         QStringLiteral("the slug must be lower-case letters, digits and dashes"));
    db::Query q(
        db, QStringLiteral("INSERT INTO tenants (id, name, slug) VALUES (?::uuid, ?, ?) RETURNING %1").arg(kColumns));
    q.addBindValue(id.toString(QUuid::WithoutBraces));
    q.addBindValue(name.trimmed());
    q.addBindValue(slug);
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kInternal,
                                         QStringLiteral("tenant insert returned nothing"));
    const Tenant t = readTenant(q);

    AuditEntry e;
    e.action = QStringLiteral("tenant.create");
    e.objectType = QStringLiteral("tenant");
    e.objectId = t.id.toString(QUuid::WithoutBraces);
    e.after = QJsonObject{{QStringLiteral("name"), t.name},
                          {QStringLiteral("slug"), t.slug},
                          {QStringLiteral("timeZone"), t.timeZone},
                          {QStringLiteral("language"), t.language}};
    if (auto r = AuditLog::append(db, t.id, e); !r.ok())
        return r.error();
    return t;
}

atende::core::Result<Tenant> TenantRepository::findBySlug(QSqlDatabase &db, const QString &slug)
{
    return findOne(db, QStringLiteral("slug = ?"), slug);
}

atende::core::Result<Tenant> TenantRepository::findById(QSqlDatabase &db, const QUuid &id)
{
    return findOne(db, QStringLiteral("id = ?::uuid"), id.toString(QUuid::WithoutBraces));
}

} // namespace atende::server::tenancy
