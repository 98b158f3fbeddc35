#pragma once
// Prepared statements kept per connection. QPSQL turns every QSqlQuery::prepare() into PREPARE … and its
// destruction into DEALLOCATE, so PostgreSQL parsed, analysed and planned each statement of each call anew:
// three quarters of its CPU under the messaging load went there. A db::Query of the same SQL text on the same
// DbExecutor connection reuses one server-side prepared statement (PostgreSQL keeps its plan, and switches to
// a generic plan once that is as good).
//
//   db::Query q(db, QStringLiteral("SELECT … WHERE id = ?"));  // instead of QSqlQuery q(db); q.prepare(…);
//   q.addBindValue(…); db::exec(q); while (q.next()) …
//
// A statement is handed to one Query at a time: a nested use of the same SQL while the first is still alive
// (iterating its rows, say) prepares a statement of its own. Connections without a cache (the migrator, tests
// opening their own) simply prepare as QSqlQuery does.

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace atende::server::db {

class StatementCache {
public:
    explicit StatementCache(qsizetype capacity = 512)
        : m_capacity(capacity)
    {}
    StatementCache(const StatementCache &) = delete;
    StatementCache &operator=(const StatementCache &) = delete;

    // Makes `db`'s Query objects use this cache (it must outlive the connection's queries).
    void attach(QSqlDatabase &db);
    static StatementCache *of(const QSqlDatabase &db);
    // Before the connection closes or reconnects: its prepared statements are gone with it.
    void clear() { m_entries.clear(); }
    qsizetype size() const { return m_entries.size(); }

private:
    friend class Query;
    struct Entry {
        QSqlQuery query; // prepared; copies share its server-side statement
        bool busy = false;
    };
    QHash<QString, Entry> m_entries;
    qsizetype m_capacity;
};

class Query : public QSqlQuery {
public:
    // Prepared on `db` (from the connection's cache when it has one). A failed prepare shows in lastError()
    // and makes exec() fail, as with QSqlQuery.
    Query(QSqlDatabase &db, const QString &sql);
    ~Query();
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;
    // A cached statement must keep its SQL.
    bool prepare(const QString &) = delete;

    bool cached() const { return m_cache != nullptr; }

private:
    StatementCache *m_cache = nullptr;
    QString m_sql;
};

} // namespace atende::server::db
