#pragma once
// api_tokens.* operations (issue 3 item 9): list, create and revoke the tenant's integration tokens. All
// need api_tokens.manage (admins), act on ctx.tenantId only, and refuse callers authenticated with an API
// token themselves, whatever its permissions.
#include "server/api/operation.h"

namespace atende::server::auth {

class ApiTokenService;

// service must outlive the table's handlers (they check a QPointer and answer shutting_down otherwise).
void addApiTokenOperations(api::OperationTable &table, ApiTokenService &service);

} // namespace atende::server::auth
