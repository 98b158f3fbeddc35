#pragma once
// How common a searched word is, decided cheaply before the search query runs (search_repository.cpp): the
// planner's tsvector statistics first, then — for words they do not know — the matches themselves read through
// the GIN index alone, at most kRareMatches of them. A common word is then searched by walking the newest rows;
// a rare one by its known matches. Runs inside the tenant transaction; planner settings are SET LOCAL.

#include "common/core/result.h"
#include "server/desk/search_repository.h"

#include <QList>
#include <QSqlDatabase>
#include <QUuid>
#include <QVariantList>

#include <optional>

namespace atende::server::desk {

// More matches than this and a word counts as common.
constexpr int kRareMatches = 1000;

// "'inbound','outbound','note'" as the query asks (empty: none).
QString searchKindsOf(const SearchQuery &query);
// Transaction-local: the next tenant transaction on this connection plans as usual.
atende::core::Status setPlanner(QSqlDatabase &db, const char *setting, bool on);
// Where a word is looked up: `table` (aliased x) with `condition` on x for the planner's estimate, and the
// statement that reads the ids of the matches through the GIN index — its binds are the search text, then
// `binds`, then the row limit (migration 0018's search_message_ids / search_contact_ids).
struct SearchProbe {
    QString table;
    QString condition;
    QString idsSql;
    QVariantList binds;
};

// The ids of the rows whose `search` matches `text`, if the word is rare; nullopt when it is common.
atende::core::Result<std::optional<QList<QUuid>>> rareMatches(QSqlDatabase &db, const QUuid &tenantId,
                                                              const QString &text, const SearchProbe &probe);

} // namespace atende::server::desk
