#pragma once
// Sector membership lookups for event filtering (a session receives sector-scoped events only for the
// sectors its user belongs to). Runs inside runTenant() for the user's tenant.

#include "common/core/result.h"

#include <QSet>
#include <QSqlDatabase>
#include <QUuid>

namespace atende::server::tenancy {

atende::core::Result<QSet<QUuid>> sectorIdsOf(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId);

} // namespace atende::server::tenancy
