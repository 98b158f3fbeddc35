#include "server/desk/search_probe.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Result;
using atende::core::Status;

namespace {

// A word the planner's statistics put in at least this share of the rows is common without counting.
constexpr double kCommonShare = 0.02;

// The planner's row estimate of `SELECT 1 FROM <table> x WHERE x.tenant_id = tenant [AND condition]` — EXPLAIN
// only, nothing is read. The text goes in as a standard-conforming literal (EXPLAIN cannot be prepared).
Result<double> estimatedRows(QSqlDatabase &db, const QUuid &tenantId, const QString &table, const QString &condition)
{
    QSqlQuery q(db);
    const QString sql =
        QStringLiteral("EXPLAIN (FORMAT JSON) SELECT 1 FROM %1 x WHERE x.tenant_id = '%2'::uuid%3")
            .arg(table, sql::text(tenantId), condition.isEmpty() ? QString() : QStringLiteral(" AND ") + condition);
    if (Status s = db::exec(db, QStringLiteral("SET LOCAL standard_conforming_strings = on")); !s.ok())
        return s.error();
    q.setForwardOnly(true);
    if (!q.exec(sql))
        return db::toError(q.lastError()); // never the statement: it holds the search text
    if (!q.next())
        return 0.0;
    const QJsonArray plans = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array();
    return plans.at(0)
        .toObject()
        .value(QStringLiteral("Plan"))
        .toObject()
        .value(QStringLiteral("Plan Rows"))
        .toDouble();
}

QString textLiteral(const QString &text)
{
    QString t = text;
    t.remove(QChar(0));
    return QLatin1Char('\'') + t.replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
}

// Common by the statistics alone: the planner's estimate of the matches (taken from the most common words
// of the tsvector statistics) is at least kCommonShare of the tenant's rows. Words the statistics do not
// know get a small default estimate and are counted instead.
Result<bool> estimatedCommon(QSqlDatabase &db, const QUuid &tenantId, const QString &text, const QString &table,
                             const QString &condition)
{
    Result<double> all = estimatedRows(db, tenantId, table, condition);
    if (!all.ok())
        return all.error();
    Result<double> matches = estimatedRows(
        db, tenantId, table,
        QStringLiteral("x.search @@ websearch_to_tsquery('atende_pt', %1) AND %2").arg(textLiteral(text), condition));
    if (!matches.ok())
        return matches.error();
    return all.value() > 0 && matches.value() >= kCommonShare * all.value() && matches.value() > 2 * kRareMatches;
}

} // namespace

QString searchKindsOf(const SearchQuery &query)
{
    QStringList kinds;
    if (query.messages)
        kinds << QStringLiteral("'inbound'") << QStringLiteral("'outbound'");
    if (query.notes)
        kinds << QStringLiteral("'note'");
    return kinds.join(QLatin1Char(','));
}

Status setPlanner(QSqlDatabase &db, const char *setting, bool on)
{
    return db::exec(db, QStringLiteral("SET LOCAL %1 = %2")
                            .arg(QLatin1String(setting), on ? QStringLiteral("on") : QStringLiteral("off")));
}

// The ids of the matching rows, if there are at most kRareMatches, read through the GIN index by the probe
// function of migration 0018 (under RLS a plain query cannot use that index); nullopt when the word is common.
Result<std::optional<QList<QUuid>>> rareMatches(QSqlDatabase &db, const QUuid &tenantId, const QString &text,
                                                const SearchProbe &probe)
{
    // Reading a common word's matches through GIN costs as many rows as it has: skip it when the statistics
    // already say so.
    Result<bool> common = estimatedCommon(db, tenantId, text, probe.table, probe.condition);
    if (!common.ok())
        return common.error();
    if (common.value())
        return std::optional<QList<QUuid>>();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(probe.idsSql);
    q.addBindValue(text);
    for (const QVariant &v : probe.binds)
        q.addBindValue(v);
    q.addBindValue(kRareMatches + 1);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<QUuid> ids;
    while (q.next())
        ids.append(QUuid::fromString(q.value(0).toString()));
    if (ids.size() > kRareMatches)
        return std::optional<QList<QUuid>>();
    return std::optional<QList<QUuid>>(ids);
}

} // namespace atende::server::desk
