#pragma once
// Tenants (one company each). create() must run with the new tenant bound (runTenant(id, ...) with a
// freshly generated id, see TenantRepository::newId()) so that it works under the tenants table's RLS
// policy; it also writes the tenant's first audit row. findBySlug() looks across tenants and therefore
// needs an owner connection (run()), as the admin commands use.

#include "common/core/result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QUuid>

namespace atende::server::tenancy {

struct Tenant {
    QUuid id;
    QString name;
    QString slug;
    QString timeZone;
    QString language;
    bool active = true;
    QDateTime createdAt;
};

class TenantRepository {
public:
    static QUuid newId() { return QUuid::createUuid(); }

    // Errors: invalid_argument (empty name, slug not [a-z0-9][a-z0-9-]*), conflict (slug taken).
    static atende::core::Result<Tenant> create(QSqlDatabase &db, const QUuid &id, const QString &name,
                                               const QString &slug);
    // not_found when there is no such tenant (or it is not visible to this connection).
    static atende::core::Result<Tenant> findBySlug(QSqlDatabase &db, const QString &slug);
    static atende::core::Result<Tenant> findById(QSqlDatabase &db, const QUuid &id);
};

} // namespace atende::server::tenancy
