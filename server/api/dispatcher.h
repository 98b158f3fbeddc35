#pragma once
// Runs one operation call for any transport: permission check, the handler, metrics, and the mapping of
// errors to HTTP statuses. REST and WebSocket both go through here so they cannot drift apart.

#include "server/api/metrics.h"
#include "server/api/operation.h"
#include "server/api/principal.h"
#include "server/security/rate_limiter.h"

#include <QElapsedTimer>

namespace atende::server::api {

// Maps a stable error code to its HTTP status (unknown codes -> 500).
int httpStatusFor(const QString &code);

// Request budgets (issue 3 item 6): token buckets per client address (every call, before any credential
// is checked) and per signed-in user or API token. A rate of 0 switches that limit off.
struct RateLimits {
    double ipBurst = 300;
    double ipPerSecond = 100;
    double userBurst = 120;
    double userPerSecond = 20;
};

class Dispatcher {
public:
    // Decides whether ctx may run op; returns an "unauthenticated"/"permission_denied" error otherwise.
    // It authenticates the caller too: it fills ctx.tenantId, ctx.userId, ctx.role and ctx.permissions.
    // The reference stays valid until the returned task finishes.
    using Authorizer = std::function<QCoro::Task<atende::core::Status>(CallContext &, const Operation &)>;

    Dispatcher(const OperationTable &table, Metrics &metrics);

    // The production rule set: public operations run for anyone; "self" needs a signed-in user (not an API
    // token); every other operation needs its permission in the caller's Principal.
    void setAuthenticator(Authenticator authenticator);
    // Replaces the whole decision (tests).
    void setAuthorizer(Authorizer authorizer) { m_authorizer = std::move(authorizer); }
    void setRateLimits(const RateLimits &limits);
    const OperationTable &table() const { return m_table; }

    // Verifies a bearer token without running an operation (WebSocket sessions subscribing to events).
    QCoro::Task<atende::core::Result<Principal>> authenticate(QString token) const;

    // op must belong to the table (which never changes after start-up).
    QCoro::Task<atende::core::Result<MessagePtr>> call(const Operation *op, CallContext ctx, MessagePtr request);

    quint64 rateLimited() const { return m_rateLimited; }

private:
    QCoro::Task<atende::core::Status> authorize(CallContext &ctx, const Operation &op);
    atende::core::Status spend(std::unique_ptr<security::RateLimiter> &limiter, const QString &key);

    const OperationTable &m_table;
    Metrics &m_metrics;
    Authorizer m_authorizer;
    Authenticator m_authenticator;
    std::unique_ptr<security::RateLimiter> m_ipLimiter;
    std::unique_ptr<security::RateLimiter> m_userLimiter;
    quint64 m_rateLimited = 0;
};

// Applies a Principal to a call context (tenant, user, role, permissions, API token id).
void applyPrincipal(CallContext &ctx, const Principal &principal);
// The rule set of setAuthenticator() for an already-authenticated context.
atende::core::Status checkPermission(const CallContext &ctx, const Operation &op);

} // namespace atende::server::api
