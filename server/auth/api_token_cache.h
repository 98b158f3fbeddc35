#pragma once
// The in-memory side of API-token authentication: recently validated tokens (keyed by tokenHash, so the
// plaintext is never kept) for a short TTL, and when each token's last_used_at was last written. Bounded:
// only tokens that passed a database check are cached, and at the cap stale entries go first, then the
// oldest. Not thread-safe; ApiTokenService uses it from the main thread only.
#include "server/security/monotonic_clock.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace atende::server::auth {

// Who an API token names and what it may do.
struct ApiTokenPrincipal {
    QUuid tenantId;
    QUuid tokenId;
    QUuid createdBy;
    QStringList scopes;
    QSet<QString> permissions; // union of api::perm::scopePermissions() of the scopes
    QDateTime expiresAt;       // null: never
};

class ApiTokenCache {
public:
    ApiTokenCache(qsizetype capacity, qint64 ttlMs, security::MonotonicClock clock);

    // A fresh entry for the hash, else nullopt (a stale entry is dropped). The caller still checks the
    // principal's own expiresAt.
    std::optional<ApiTokenPrincipal> find(const QString &tokenHash);
    void insert(const QString &tokenHash, ApiTokenPrincipal principal);
    // Drops every entry of the token and bumps generation(), so a lookup that started before cannot
    // put the token back.
    void evictToken(const QUuid &tokenId);
    quint64 generation() const { return m_generation; }

    // True (and remembers now) when the token's last_used_at was not written in the last intervalMs.
    bool claimTouch(const QUuid &tokenId, qint64 intervalMs);

    qsizetype size() const { return m_entries.size(); }

private:
    struct Entry {
        ApiTokenPrincipal principal;
        qint64 cachedAtMs = 0;
    };
    void makeRoom();

    qsizetype m_capacity;
    qint64 m_ttlMs;
    security::MonotonicClock m_clock;
    QHash<QString, Entry> m_entries;
    QHash<QUuid, qint64> m_touchedAtMs;
    quint64 m_generation = 0;
};

} // namespace atende::server::auth
