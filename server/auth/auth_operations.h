#pragma once
// auth.* operations (login, refresh, logout, logout_all, me) and the Authenticator that turns a bearer
// token into the caller's Principal: access JWTs through AuthService, "atk_" API tokens through the given
// ApiTokenAuthenticator.
#include "server/api/dispatcher.h"
#include "server/api/operation.h"
#include "server/api/principal.h"

namespace atende::server::auth {

class AuthService;

// service must outlive the table's handlers.
void addAuthOperations(api::OperationTable &table, AuthService &service);

// Verifies an "atk_" API token (ApiTokenService::authenticate); null: API tokens are refused.
using ApiTokenAuthenticator = api::Authenticator;

// Access JWT -> user principal with the permissions of the role in the token; API token -> apiTokens.
api::Authenticator makeAuthenticator(const AuthService &service, ApiTokenAuthenticator apiTokens = {});

} // namespace atende::server::auth
