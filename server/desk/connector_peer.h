#pragma once
// The ConnectorPeer of a contact on a connection, read inside a tenant transaction: the contact's
// identities with those seen on this connection first (a connector tries them in that order).

#include "common/core/result.h"
#include "server/desk/connector.h"

#include <QSqlDatabase>

namespace atende::server::desk {

atende::core::Result<ConnectorPeer> connectorPeer(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                                  const QUuid &contactId);

} // namespace atende::server::desk
