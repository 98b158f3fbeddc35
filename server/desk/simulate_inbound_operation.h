#pragma once
// connections.simulate_inbound (see the .cpp).

#include "server/api/operation.h"
#include "server/desk/contacts_service.h"
#include "server/desk/inbox.h"

#include <QPointer>

namespace atende::server::desk {

void addSimulateInboundOperation(api::OperationTable &table, const QPointer<ContactsService> &contacts,
                                 const QPointer<Inbox> &inbox);

} // namespace atende::server::desk
