#pragma once
// The accounts operations (tenant.*, users.*, sectors.*) for the operation table. Handlers take the tenant
// and the acting user from CallContext (filled by the authorizer), never from the request.
//
//   tenant.get                 GET    /api/v1/tenant                      tenant.read
//   tenant.update              PATCH  /api/v1/tenant                      tenant.manage
//   users.change_password      POST   /api/v1/users/me/password           self
//   users.set_availability     PUT    /api/v1/users/me/availability       self
//   users.list                 GET    /api/v1/users                       users.read
//   users.get                  GET    /api/v1/users/{id}                  users.read
//   users.create               POST   /api/v1/users                       users.manage
//   users.update               PATCH  /api/v1/users/{id}                  users.manage
//   users.reset_password       POST   /api/v1/users/{id}/reset-password   users.manage
//   users.set_sectors          PUT    /api/v1/users/{id}/sectors          users.manage
//   users.set_availability_of  PUT    /api/v1/users/{id}/availability     tickets.supervise
//   sectors.list               GET    /api/v1/sectors                     sectors.read
//   sectors.get                GET    /api/v1/sectors/{id}                sectors.read
//   sectors.create             POST   /api/v1/sectors                     sectors.manage
//   sectors.update             PATCH  /api/v1/sectors/{id}                sectors.manage
//   sectors.delete             DELETE /api/v1/sectors/{id}                sectors.manage
//   sectors.set_members        PUT    /api/v1/sectors/{id}/members        sectors.manage

#include "server/api/operation.h"

namespace atende::server::accounts {

class AccountsService;

void addAccountsOperations(api::OperationTable &table, AccountsService &service);

} // namespace atende::server::accounts
