#pragma once
// system.* operations: ping, info, echo. Public (no credentials): they reveal nothing about tenants.

#include "server/api/operation.h"

#include <QDateTime>

namespace atende::server::api {

struct SystemInfo {
    QString instanceId;
    QDateTime startedAt;
    std::function<int()> schemaVersion;
};

void addSystemOperations(OperationTable &table, SystemInfo info);

} // namespace atende::server::api
