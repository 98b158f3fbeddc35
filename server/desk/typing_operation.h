#pragma once
// tickets.typing  POST /api/v1/tickets/{ticket_id}/typing  messages.send
//
// The agent's typing state goes straight to the connector of the ticket's connection (no job: a typing
// indicator delivered late is wrong, not late). Only whoever may send on the ticket may type on it. When no
// live connector serves the connection in this process the state is dropped and the answer says so; a
// connector running on another instance is reached once connectors forward across instances (WhatsApp
// part 2).

#include "server/api/operation.h"

namespace atende::server::desk {

class ConnectorRegistry;
class MessagesService;

void addTypingOperation(api::OperationTable &table, MessagesService &service, ConnectorRegistry &connectors);

} // namespace atende::server::desk
