#pragma once
// auth.* operations (login, refresh, logout, logout_all, me) and the Authorizer that turns a bearer token
// into the caller's tenant, user and role.
#include "server/api/dispatcher.h"
#include "server/api/operation.h"

namespace atende::server::auth {

class AuthService;

// Permission of operations any signed-in user may run on their own account.
inline constexpr auto kPermSelf = "self";

// service must outlive the table's handlers.
void addAuthOperations(api::OperationTable &table, AuthService &service);

// Public operations run for anyone; every other one needs a valid access token (-> 401 unauthenticated),
// which fills ctx.tenantId, ctx.userId and ctx.role. Permissions other than "public" and "self" are
// refused (403) until roles are mapped to permissions.
api::Dispatcher::Authorizer makeAuthorizer(const AuthService &service);

} // namespace atende::server::auth
