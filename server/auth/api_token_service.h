#pragma once
// API tokens for integrations (issue 3 item 9). An admin creates a token with a name, a set of scopes
// (api::perm::scopes()) and an optional lifetime; the plaintext ("atk_" + 43 characters) is returned once
// and only its tokenHash() is stored, plus an 8-character prefix for display. Creating and revoking are
// audit-logged in the same transaction (no secret in before/after).
//
// authenticate() turns a presented token into an ApiTokenPrincipal whose permissions are the union of its
// scopes' permissions. It fails ("unauthenticated") for malformed, unknown, revoked and expired tokens and
// when the creating user or the tenant is no longer active. Valid tokens are cached by hash for a short TTL
// so most requests do not reach the database; revoke() through this service evicts at once (another server
// instance notices within the TTL). last_used_at is written at most once per touch interval per token, in
// the background.
//
// Lives on the main thread: the coroutines resume there after each database call, so the cache is only
// touched from one thread.
#include "common/core/result.h"
#include "server/auth/api_token_cache.h"
#include "server/auth/api_token_repository.h"
#include "server/security/monotonic_clock.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}

namespace atende::server::auth {

struct ApiTokenPolicy {
    qint64 cacheTtlMs = 30'000;
    qsizetype cacheCapacity = 4096;
    qint64 touchIntervalMs = 60'000;
    int maxExpiresInDays = 3650;
    security::MonotonicClock clock; // empty: security::steadyClock()
};

struct CreatedApiToken {
    QString token; // the plaintext; shown to the admin once, never stored or logged
    ApiToken info;
};

class ApiTokenService : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxNameLength = 100;

    explicit ApiTokenService(db::DbExecutor &db, ApiTokenPolicy policy = {}, QObject *parent = nullptr);

    // Errors: invalid_argument (name not 1..100 characters, no scope, an unknown scope -> details.allowed,
    // expiresInDays outside 0..maxExpiresInDays; 0 = never expires), internal.
    QCoro::Task<atende::core::Result<CreatedApiToken>> create(QUuid tenantId, QUuid actorId, QString ip, QString name,
                                                              QStringList scopes, int expiresInDays);
    // Every token of the tenant, newest first, revoked ones included.
    QCoro::Task<atende::core::Result<QList<ApiToken>>> list(QUuid tenantId);
    // Idempotent: revoking a revoked token answers it unchanged. Errors: not_found (no such token in this
    // tenant), internal.
    QCoro::Task<atende::core::Result<ApiToken>> revoke(QUuid tenantId, QUuid id, QUuid actorId, QString ip);

    // Errors: unauthenticated (details.reason: malformed, unknown, revoked, expired, creator_inactive,
    // tenant_inactive), unavailable (database down), internal, shutting_down.
    QCoro::Task<atende::core::Result<ApiTokenPrincipal>> authenticate(QString token);

    const ApiTokenPolicy &policy() const { return m_policy; }

private:
    void touch(const ApiTokenPrincipal &principal);

    db::DbExecutor &m_db;
    ApiTokenPolicy m_policy;
    ApiTokenCache m_cache;
};

} // namespace atende::server::auth
