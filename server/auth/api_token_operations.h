#pragma once
// api_tokens.* operations (issue 3 item 9): list, create and revoke the tenant's integration tokens. All
// need api_tokens.manage (admins), act on ctx.tenantId only, and refuse callers authenticated with an API
// token themselves, whatever its permissions. makeApiTokenAuthenticator() is what the Dispatcher's
// Authenticator calls for "atk_" bearer tokens (auth::makeAuthenticator's apiTokens argument).
#include "server/api/operation.h"
#include "server/api/principal.h"

namespace atende::server::auth {

class ApiTokenService;

// service must outlive the table's handlers (they check a QPointer and answer shutting_down otherwise).
void addApiTokenOperations(api::OperationTable &table, ApiTokenService &service);

// ApiTokenService::authenticate() as an api::Principal: the token's tenant, userId = the admin who created
// it, no role, apiTokenId, the scopes' permissions and the token's expiry. shutting_down once the service is
// gone.
api::Authenticator makeApiTokenAuthenticator(ApiTokenService &service);

} // namespace atende::server::auth
