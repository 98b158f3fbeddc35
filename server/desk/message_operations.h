#pragma once
// The message operations of the operation table (messages.proto). Handlers take the tenant and the acting
// user from CallContext (filled by the authorizer), never from the request; MessagesService applies the
// ticket visibility rule.
//
//   messages.list       GET   /api/v1/tickets/{ticket_id}/messages      tickets.read
//   messages.send       POST  /api/v1/tickets/{ticket_id}/messages      messages.send
//   messages.note       POST  /api/v1/tickets/{ticket_id}/notes         tickets.work
//   messages.retry      POST  /api/v1/messages/{message_id}/retry       messages.send
//   messages.mark_read  POST  /api/v1/tickets/{ticket_id}/read          tickets.read
//   search.query        GET   /api/v1/search                            tickets.read (+ contacts.read for contacts)
//   contacts.history    GET   /api/v1/contacts/{contact_id}/history     tickets.read

#include "server/api/operation.h"

namespace atende::server::desk {

class MessagesService;

void addMessageOperations(api::OperationTable &table, MessagesService &service);

} // namespace atende::server::desk
