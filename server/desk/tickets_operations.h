#pragma once
// The desk's tickets.* operations for the operation table (tickets.proto). Handlers pass the CallContext
// (tenant, user, permissions, filled by the authorizer) to TicketsService, never ids from the request.
//
//   tickets.list         GET    /api/v1/tickets                        tickets.read
//   tickets.counts       GET    /api/v1/tickets/counts                 tickets.read
//   tickets.get          GET    /api/v1/tickets/{id}                   tickets.read
//   tickets.timeline     GET    /api/v1/tickets/{id}/timeline          tickets.read
//   tickets.create       POST   /api/v1/tickets                        tickets.work
//   tickets.accept_next  POST   /api/v1/tickets/accept_next            tickets.work
//   tickets.accept       POST   /api/v1/tickets/{id}/accept            tickets.work
//   tickets.hold         POST   /api/v1/tickets/{id}/hold              tickets.work
//   tickets.resume       POST   /api/v1/tickets/{id}/resume            tickets.work
//   tickets.close        POST   /api/v1/tickets/{id}/close             tickets.work
//   tickets.reopen       POST   /api/v1/tickets/{id}/reopen            tickets.work
//   tickets.transfer     POST   /api/v1/tickets/{id}/transfer          tickets.work
//   tickets.tag          POST   /api/v1/tickets/{id}/tags              tickets.work
//   tickets.untag        DELETE /api/v1/tickets/{id}/tags/{tag}        tickets.work
//   tickets.assign       POST   /api/v1/tickets/{id}/assign            tickets.supervise

#include "server/api/operation.h"

namespace atende::server::desk {

class TicketsService;

void addTicketOperations(api::OperationTable &table, TicketsService &service);

} // namespace atende::server::desk
