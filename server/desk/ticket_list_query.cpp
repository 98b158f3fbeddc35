// TicketRepository::list() and counts(): the ticket lists of the console.
//
// A list is one ordered index scan per (state, sector) branch, merged: PostgreSQL cannot walk
// tickets_state_sector_idx (tenant, state, sector, last_activity_at DESC, id DESC) in activity order across
// several states or sectors at once, so "sector IN (...)" would sort every matching ticket. Instead every
// branch reads at most limit+1 rows in index order (LIMIT inside the branch), and only those few rows are
// merged. Branches: one per visible sector and state, one for the general queue (no sector), one for
// tickets assigned to the caller in other sectors, or per state over tickets_state_activity_idx for callers
// who see everything (migration 0012). Each branch also carries the TicketScope condition, so the one
// visibility rule is applied literally, not only by construction.

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/ticket_repository.h"
#include "server/desk/ticket_row.h"

#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Result;
using atende::core::Status;

namespace {

QStringList statesOf(const QString &view)
{
    if (view == QLatin1String("waiting"))
        return {QStringLiteral("waiting"), QStringLiteral("bot")};
    if (view == QLatin1String("closed"))
        return {QStringLiteral("closed")};
    return {QStringLiteral("in_service"), QStringLiteral("on_hold")}; // mine, team
}

// A branch's own condition (beyond tenant, state, filters, keyset and scope) and its binds.
struct Branch {
    QString condition;
    QVariantList binds;
};

QList<Branch> branchesFor(const TicketScope &scope, const TicketFilter &filter, const QString &state)
{
    const QString me = sql::text(scope.userId);
    if (filter.view == QLatin1String("mine"))
        return {Branch{QStringLiteral("t.assignee_id = ?::uuid"), {me}}};
    const bool sectorFilter = !filter.sectorId.isNull();
    if (scope.all) {
        if (sectorFilter)
            return {Branch{QStringLiteral("t.sector_id = ?::uuid"), {sql::text(filter.sectorId)}}};
        return {Branch{QStringLiteral("TRUE"), {}}};
    }
    QList<Branch> out;
    for (const QUuid &sector : scope.sectorIds)
        if (!sectorFilter || sector == filter.sectorId)
            out.append(Branch{QStringLiteral("t.sector_id = ?::uuid"), {sql::text(sector)}});
    if (!sectorFilter)
        out.append(Branch{QStringLiteral("t.sector_id IS NULL"), {}});
    // Waiting and bot tickets have no assignee; in the other states the caller's own tickets in sectors they
    // are not a member of are visible too.
    if (state != QLatin1String("waiting") && state != QLatin1String("bot")) {
        Branch own{QStringLiteral("t.assignee_id = ?::uuid AND t.sector_id IS NOT NULL AND NOT (t.sector_id = "
                                  "ANY(?::uuid[]))"),
                   {me, sql::uuidArray(scope.sectorIds)}};
        if (sectorFilter) {
            own.condition += QStringLiteral(" AND t.sector_id = ?::uuid");
            own.binds.append(sql::text(filter.sectorId));
        }
        out.append(own);
    }
    return out;
}

// Filters shared by every branch.
QString filterCondition(const TicketFilter &filter, QVariantList &binds)
{
    QString where;
    if (!filter.connectionId.isNull()) {
        where += QStringLiteral(" AND t.connection_id = ?::uuid");
        binds.append(sql::text(filter.connectionId));
    }
    if (!filter.contactId.isNull()) {
        where += QStringLiteral(" AND t.contact_id = ?::uuid");
        binds.append(sql::text(filter.contactId));
    }
    if (!filter.tag.isEmpty()) {
        where += QStringLiteral(" AND t.tags @> ARRAY[?::text]");
        binds.append(filter.tag);
    }
    if (filter.after) {
        where += QStringLiteral(" AND (t.last_activity_at, t.id) < (?::timestamptz, ?::uuid)");
        binds.append(filter.after->at);
        binds.append(sql::text(filter.after->id));
    }
    return where;
}

} // namespace

SqlStatement TicketRepository::listStatement(const QUuid &tenantId, const TicketScope &scope,
                                             const TicketFilter &filter)
{
    QStringList parts;
    SqlStatement st;
    for (const QString &state : statesOf(filter.view)) {
        for (const Branch &b : branchesFor(scope, filter, state)) {
            QString part = QStringLiteral("(SELECT %1 FROM tickets t WHERE t.tenant_id = ?::uuid AND t.state = ? AND ")
                               .arg(ticketColumns());
            st.binds << sql::text(tenantId) << state;
            part += b.condition;
            st.binds += b.binds;
            part += filterCondition(filter, st.binds);
            part += QStringLiteral(" AND ") + scope.sqlCondition(QStringLiteral("t"), st.binds);
            part += QStringLiteral(" ORDER BY t.last_activity_at DESC, t.id DESC LIMIT ?)");
            st.binds << filter.limit + 1;
            parts.append(part);
        }
    }
    if (parts.isEmpty())
        return st;
    st.sql = QStringLiteral("SELECT y.*, ") + ticketContactColumns(QStringLiteral("y")) +
             QStringLiteral(" FROM (SELECT * FROM (") + parts.join(QStringLiteral(" UNION ALL ")) +
             QStringLiteral(") x ORDER BY x.last_activity_at DESC, x.id DESC LIMIT ?) y "
                            "ORDER BY y.last_activity_at DESC, y.id DESC");
    st.binds << filter.limit + 1;
    return st;
}

Result<TicketPage> TicketRepository::list(QSqlDatabase &db, const QUuid &tenantId, const TicketScope &scope,
                                          const TicketFilter &filter)
{
    const SqlStatement st = listStatement(tenantId, scope, filter);
    TicketPage page;
    if (st.sql.isEmpty())
        return page;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(st.sql);
    for (const QVariant &b : st.binds)
        q.addBindValue(b);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QString lastKey;
    while (q.next()) {
        if (page.tickets.size() == filter.limit) {
            page.next = TicketCursor{lastKey, page.tickets.last().id};
            break;
        }
        page.tickets.append(readTicketRow(q));
        lastKey = ticketActivityKey(q);
    }
    return page;
}

SqlStatement TicketRepository::countsStatement(const QUuid &tenantId, const TicketScope &scope,
                                               const TicketFilter &filter)
{
    // Only open tickets are counted: the partial index tickets_one_active (state <> 'closed') holds exactly
    // those, so the count reads the small active set, never the closed history.
    SqlStatement st;
    st.binds = {sql::text(scope.userId), sql::text(tenantId)};
    QString where;
    if (!filter.sectorId.isNull()) {
        where += QStringLiteral(" AND t.sector_id = ?::uuid");
        st.binds.append(sql::text(filter.sectorId));
    }
    if (!filter.connectionId.isNull()) {
        where += QStringLiteral(" AND t.connection_id = ?::uuid");
        st.binds.append(sql::text(filter.connectionId));
    }
    if (!filter.tag.isEmpty()) { // reads the rows' tags: no longer index-only, still only the open tickets
        where += QStringLiteral(" AND t.tags @> ARRAY[?::text]");
        st.binds.append(filter.tag);
    }
    where += QStringLiteral(" AND ") + scope.sqlCondition(QStringLiteral("t"), st.binds);
    st.sql = QStringLiteral("SELECT count(*) FILTER (WHERE t.state IN ('waiting', 'bot')), "
                            "count(*) FILTER (WHERE t.state IN ('in_service', 'on_hold') AND t.assignee_id = ?::uuid), "
                            "count(*) FILTER (WHERE t.state IN ('in_service', 'on_hold')), "
                            "min(t.queued_at) FILTER (WHERE t.state = 'waiting') "
                            "FROM tickets t WHERE t.tenant_id = ?::uuid AND t.state <> 'closed'") +
             where;
    return st;
}

Result<TicketCounts> TicketRepository::counts(QSqlDatabase &db, const QUuid &tenantId, const TicketScope &scope,
                                              const TicketFilter &filter)
{
    const SqlStatement st = countsStatement(tenantId, scope, filter);
    db::Query q(db, st.sql);
    for (const QVariant &b : st.binds)
        q.addBindValue(b);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    TicketCounts c;
    if (q.next()) {
        c.waiting = q.value(0).toInt();
        c.mine = q.value(1).toInt();
        c.team = q.value(2).toInt();
        c.oldestQueuedAt = q.value(3).isNull() ? QDateTime() : q.value(3).toDateTime().toUTC();
    }
    return c;
}

} // namespace atende::server::desk
