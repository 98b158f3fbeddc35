#include "server/desk/connector_peer.h"

#include "server/desk/identity_repository.h"

#include <algorithm>

namespace atende::server::desk {

atende::core::Result<ConnectorPeer> connectorPeer(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                                  const QUuid &contactId)
{
    atende::core::Result<QList<IdentityRecord>> identities = IdentityRepository::ofContact(db, tenantId, contactId);
    if (!identities.ok())
        return identities.error();
    ConnectorPeer peer{tenantId, connectionId, contactId, identities.value()};
    std::stable_sort(peer.identities.begin(), peer.identities.end(),
                     [&](const IdentityRecord &a, const IdentityRecord &b) {
                         return a.connectionId == connectionId && b.connectionId != connectionId;
                     });
    return peer;
}

} // namespace atende::server::desk
