#pragma once
// The calling tenant's own row (name, time zone, language). Runs inside runTenant() for that tenant.

#include "common/core/result.h"
#include "server/accounts/account_types.h"

#include <QSqlDatabase>

namespace atende::server::accounts {

class TenantSettingsRepository {
public:
    // not_found when the tenant is not visible. forUpdate locks the row until the transaction ends.
    static atende::core::Result<TenantSettings> find(QSqlDatabase &db, const QUuid &tenantId, bool forUpdate = false);
    static atende::core::Status update(QSqlDatabase &db, const TenantSettings &settings);
};

} // namespace atende::server::accounts
