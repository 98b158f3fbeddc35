#pragma once
// jobs.* operations of the admin pane: the dead-letter list and retry, guarded by jobs.manage and bound to
// the caller's tenant (ctx.tenantId; RLS applies underneath).

#include "server/api/operation.h"

namespace atende::server::jobs {

class JobService;

// service must outlive the table's handlers.
void addJobOperations(api::OperationTable &table, JobService &service);

} // namespace atende::server::jobs
