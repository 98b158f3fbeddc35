#pragma once
// Small helpers for repositories running inside a DbExecutor call: errors as values, transactions.

#include "common/core/result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

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

} // namespace atende::server::db
