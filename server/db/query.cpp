#include "server/db/query.h"

#include <QSqlDriver>
#include <QVariant>

namespace atende::server::db {

namespace {
constexpr auto kCacheProperty = "atende_statement_cache";
}

void StatementCache::attach(QSqlDatabase &db)
{
    if (QSqlDriver *driver = db.driver())
        driver->setProperty(kCacheProperty, QVariant::fromValue(static_cast<void *>(this)));
}

StatementCache *StatementCache::of(const QSqlDatabase &db)
{
    const QSqlDriver *driver = db.driver();
    if (!driver)
        return nullptr;
    return static_cast<StatementCache *>(driver->property(kCacheProperty).value<void *>());
}

Query::Query(QSqlDatabase &db, const QString &sql)
    : QSqlQuery(db)
{
    StatementCache *cache = StatementCache::of(db);
    if (cache) {
        auto it = cache->m_entries.find(sql);
        if (it != cache->m_entries.end() && !it->busy) {
            QSqlQuery::operator=(it->query); // shares the prepared statement
            it->busy = true;
            m_cache = cache;
            m_sql = sql;
            return;
        }
    }
    if (!QSqlQuery::prepare(sql) || !cache || cache->m_entries.contains(sql) ||
        cache->m_entries.size() >= cache->m_capacity)
        return;
    cache->m_entries.insert(sql, StatementCache::Entry{*this, true});
    m_cache = cache;
    m_sql = sql;
}

Query::~Query()
{
    if (!m_cache)
        return;
    finish(); // the rows of this use are not kept for the next one
    auto it = m_cache->m_entries.find(m_sql);
    if (it != m_cache->m_entries.end())
        it->busy = false;
}

} // namespace atende::server::db
