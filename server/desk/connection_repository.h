#pragma once
// SQL for a tenant's WhatsApp connections as records (issue 4 item 2). Runs inside runTenant() for that
// tenant. Deleting is soft (deleted_at): tickets and identities keep pointing at the row; a deleted
// connection is not listed and is not_found for get, update and delete.

#include "common/core/result.h"
#include "server/desk/desk_types.h"

#include <QSqlDatabase>

namespace atende::server::desk {

class ConnectionRepository {
public:
    // Ordered by name.
    static atende::core::Result<QList<ConnectionRecord>> list(QSqlDatabase &db, const QUuid &tenantId);
    static atende::core::Result<ConnectionRecord> find(QSqlDatabase &db, const QUuid &tenantId,
                                                       const QUuid &connectionId, bool forUpdate = false);
    // Inserts name, kind and the two flags; returns the new id.
    static atende::core::Result<QUuid> insert(QSqlDatabase &db, const QUuid &tenantId,
                                              const ConnectionRecord &connection);
    // Name and flags.
    static atende::core::Status update(QSqlDatabase &db, const QUuid &tenantId, const ConnectionRecord &connection);
    static atende::core::Status softDelete(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId);
};

} // namespace atende::server::desk
