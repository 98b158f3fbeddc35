#pragma once
// EXPLAIN of a repository's statement, for tests that pin down which indexes a query walks.

#include "server/desk/ticket_repository.h"

#include <QSqlDatabase>
#include <QString>

namespace atende::test {

// EXPLAIN of `st` with its binds written in as literals (what PostgreSQL plans for a custom plan of the
// prepared statement), on the superuser connection. It plans like the app role only for LEAKPROOF operators
// (btree comparisons): under RLS a condition such as tsvector @@ tsquery is never an index condition (0018).
QString planOf(QSqlDatabase &db, const server::desk::SqlStatement &st);

} // namespace atende::test
