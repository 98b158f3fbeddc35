#pragma once
// The desk's contacts.* and connections.* operations for the operation table. Handlers take the tenant
// and the acting user from CallContext (filled by the authorizer), never from the request.
//
//   contacts.list             GET    /api/v1/contacts                                   contacts.read
//   contacts.get              GET    /api/v1/contacts/{id}                              contacts.read
//   contacts.create           POST   /api/v1/contacts                                   contacts.manage
//   contacts.update           PATCH  /api/v1/contacts/{id}                              contacts.manage
//   contacts.add_identity     POST   /api/v1/contacts/{contact_id}/identities           contacts.manage
//   contacts.remove_identity  DELETE /api/v1/contacts/{contact_id}/identities/{identity_id} contacts.manage
//   contacts.merge            POST   /api/v1/contacts/{source_id}/merge                 contacts.manage
//   connections.list          GET    /api/v1/connections                                connections.read
//   connections.get           GET    /api/v1/connections/{id}                           connections.read
//   connections.create        POST   /api/v1/connections                                connections.manage
//   connections.update        PATCH  /api/v1/connections/{id}                           connections.manage
//   connections.delete        DELETE /api/v1/connections/{id}                           connections.manage

#include "server/api/operation.h"

namespace atende::server::desk {

class ContactsService;

void addDeskContactOperations(api::OperationTable &table, ContactsService &service);

} // namespace atende::server::desk
