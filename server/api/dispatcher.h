#pragma once
// Runs one operation call for any transport: permission check, the handler, metrics, and the mapping of
// errors to HTTP statuses. REST and WebSocket both go through here so they cannot drift apart.

#include "server/api/metrics.h"
#include "server/api/operation.h"

#include <QElapsedTimer>

namespace atende::server::api {

// Maps a stable error code to its HTTP status (unknown codes -> 500).
int httpStatusFor(const QString &code);

class Dispatcher {
public:
    // Decides whether ctx may run op; returns an "unauthenticated"/"permission_denied" error otherwise.
    // It authenticates the caller too: it fills ctx.tenantId, ctx.userId and ctx.role.
    using Authorizer = std::function<atende::core::Status(CallContext &, const Operation &)>;

    Dispatcher(const OperationTable &table, Metrics &metrics);

    void setAuthorizer(Authorizer authorizer) { m_authorizer = std::move(authorizer); }
    const OperationTable &table() const { return m_table; }

    // op must belong to the table (which never changes after start-up).
    QCoro::Task<atende::core::Result<MessagePtr>> call(const Operation *op, CallContext ctx, MessagePtr request);

private:
    atende::core::Status authorize(CallContext &ctx, const Operation &op) const;

    const OperationTable &m_table;
    Metrics &m_metrics;
    Authorizer m_authorizer;
};

} // namespace atende::server::api
