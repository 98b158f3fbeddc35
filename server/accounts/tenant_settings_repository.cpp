#include "server/accounts/tenant_settings_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"

#include <QSqlQuery>

namespace atende::server::accounts {

atende::core::Result<TenantSettings> TenantSettingsRepository::find(QSqlDatabase &db, const QUuid &tenantId,
                                                                    bool forUpdate)
{
    db::Query q(db, QStringLiteral("SELECT id, name, slug, time_zone, language FROM tenants WHERE id = ?::uuid%1")
                        .arg(forUpdate ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(sql::text(tenantId));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such tenant"));
    TenantSettings t;
    t.id = QUuid::fromString(q.value(0).toString());
    t.name = q.value(1).toString();
    t.slug = q.value(2).toString();
    t.timeZone = q.value(3).toString();
    t.language = q.value(4).toString();
    return t;
}

atende::core::Status TenantSettingsRepository::update(QSqlDatabase &db, const TenantSettings &settings)
{
    db::Query q(db, QStringLiteral("UPDATE tenants SET name = ?, time_zone = ?, language = ? WHERE id = ?::uuid"));
    q.addBindValue(settings.name);
    q.addBindValue(settings.timeZone);
    q.addBindValue(settings.language);
    q.addBindValue(sql::text(settings.id));
    if (atende::core::Status s = db::exec(q); !s.ok())
        return s;
    if (q.numRowsAffected() != 1)
        return atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such tenant"));
    return {};
}

} // namespace atende::server::accounts
