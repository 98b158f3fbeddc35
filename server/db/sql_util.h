#pragma once
// Small helpers for repositories running inside a DbExecutor call: errors as values, transactions.

#include "common/core/result.h"
#include "server/db/query.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QUuid>

namespace atende::server::db {

// Maps a PostgreSQL error to an API error: unique violation -> conflict, connection errors -> unavailable,
// everything else -> internal (the SQL text and values are never put in the message).
atende::core::Error toError(const QSqlError &error);

// Runs a prepared (or plain, when it has no bound values) query; logs the failure.
atende::core::Status exec(QSqlQuery &query);
atende::core::Status exec(QSqlDatabase &db, const QString &sql);

// BEGIN; f(); COMMIT when f returned ok, ROLLBACK otherwise. f returns Result<T> or Status.
template <typename F> auto transaction(QSqlDatabase &db, F &&f) -> decltype(f())
{
    if (!db.transaction())
        return toError(db.lastError());
    auto r = f();
    if (r.ok()) {
        if (!db.commit()) {
            const atende::core::Error e = toError(db.lastError());
            db.rollback();
            return e;
        }
    } else {
        db.rollback();
    }
    return r;
}

// The role that tenant-scoped calls run as (created by migration 0002): owns nothing, cannot bypass RLS.
inline constexpr auto kAppRole = "atende_app";

// Inside an open transaction: SET LOCAL ROLE atende_app and set app.tenant_id for this transaction only,
// so every Row-Level Security policy binds to that tenant until COMMIT/ROLLBACK. A null id is refused.
atende::core::Status enterTenant(QSqlDatabase &db, const QUuid &tenantId);

// transaction() bound to one tenant: BEGIN; enterTenant(); f(db); COMMIT when f returned ok, ROLLBACK
// otherwise. The role and the setting end with the transaction, so the connection goes back to the pool
// unscoped. f takes QSqlDatabase& and returns Result<T> or Status.
template <typename F> auto tenantTransaction(QSqlDatabase &db, const QUuid &tenantId, F &&f) -> decltype(f(db))
{
    using R = decltype(f(db));
    return transaction(db, [&]() -> R {
        if (atende::core::Status s = enterTenant(db, tenantId); !s.ok())
            return s.error();
        return f(db);
    });
}

// Inside a tenant transaction: takes the tenant's next event sequence number (event_sequences), so events
// are numbered in commit order of the rows they describe. Publish the event only after COMMIT.
atende::core::Result<qint64> nextEventSeq(QSqlDatabase &db, const QUuid &tenantId);

} // namespace atende::server::db
