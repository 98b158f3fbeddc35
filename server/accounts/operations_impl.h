#pragma once
// Private to the accounts *_operations.cpp files.

#include "server/accounts/accounts_service.h"
#include "server/api/operation.h"
#include "server/api/permissions.h"

#include <QPointer>

namespace atende::server::accounts {

using ServicePtr = QPointer<AccountsService>;

atende::core::Error serviceGone();
// The tenant and user of a signed-in caller; unauthenticated when the authorizer did not fill them.
atende::core::Result<Actor> actorOf(const api::CallContext &ctx);
// Adds op; logs when the table refuses it (duplicate name or path).
void addOperation(api::OperationTable &table, api::Operation op);
inline QString permission(const char *name)
{
    return QString::fromLatin1(name);
}

void addUserOperations(api::OperationTable &table, const ServicePtr &svc);
void addSectorOperations(api::OperationTable &table, const ServicePtr &svc);

} // namespace atende::server::accounts
