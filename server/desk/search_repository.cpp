#include "server/desk/search_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/message_repository.h"
#include "server/desk/search_probe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Result;
using atende::core::Status;

namespace {

constexpr QChar kStartSel = QChar(0x01);
constexpr QChar kStopSel = QChar(0x02);
constexpr int kHistoryTickets = 200;

QUuid idAt(const QSqlQuery &q, int i)
{
    return q.value(i).isNull() ? QUuid() : QUuid::fromString(q.value(i).toString());
}

QDateTime timeAt(const QSqlQuery &q, int i)
{
    return q.value(i).isNull() ? QDateTime() : q.value(i).toDateTime().toUTC();
}

// The digits of a query that looks like a phone number ("+55 11 9876"), else empty.
QString phoneDigits(const QString &text)
{
    static const QRegularExpression phoneLike(QStringLiteral("^[0-9 +().-]+$"));
    if (!phoneLike.match(text).hasMatch())
        return {};
    QString digits;
    for (const QChar c : text)
        if (c.isDigit())
            digits.append(c);
    return digits.size() >= 3 ? digits : QString();
}

} // namespace

QString snippetHtml(const QString &marked)
{
    QString html = marked.toHtmlEscaped();
    html.replace(kStartSel, QStringLiteral("<mark>"));
    html.replace(kStopSel, QStringLiteral("</mark>"));
    return html;
}

SqlStatement SearchRepository::messagesStatement(const QUuid &tenantId, const TicketScope &scope,
                                                 const SearchQuery &query, const std::optional<QList<QUuid>> &among)
{
    SqlStatement st;
    const QString kinds = searchKindsOf(query);
    if (kinds.isEmpty())
        return st;
    QVariantList scopeBinds;
    const QString visible = scope.sqlCondition(QStringLiteral("t"), scopeBinds);
    // Newest first (the order of a chat's own search). For a common word the planner walks
    // messages_recent_idx and stops after `limit` visible matches, where ranking would score every match; a
    // rare word's matches are already known (`among`) and only they are read. The tsquery is written out
    // (not a CTE) so that the planner sees a constant. The markers are removed from the body first, so only
    // ts_headline's own ones reach snippetHtml().
    const QString tsq = QStringLiteral("websearch_to_tsquery('atende_pt', ?)");
    st.sql = QStringLiteral(
                 "SELECT m.id, m.ticket_id, m.kind, m.created_at, c.id, c.name, c.phone, "
                 "ts_headline('atende_pt', translate(m.body, chr(1) || chr(2), ''), %3, "
                 "'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=8, MaxFragments=2'), "
                 "ts_rank(m.search, %3) AS rank "
                 "FROM (SELECT m.id, m.ticket_id, m.kind, m.created_at, m.contact_id, m.body, m.search "
                 "      FROM messages m JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id "
                 "      WHERE m.tenant_id = ?::uuid AND m.search @@ %3 AND m.kind IN (%1) AND %2%4 "
                 "      ORDER BY m.created_at DESC, m.id DESC LIMIT ?) m "
                 "JOIN contacts c ON c.tenant_id = ?::uuid AND c.id = m.contact_id "
                 "ORDER BY m.created_at DESC, m.id DESC")
                 .arg(kinds, visible, tsq, among ? QStringLiteral(" AND m.id = ANY(?::uuid[])") : QString());
    // Binds in textual order: headline, rank, then the inner query, then the contacts join.
    st.binds << query.text << query.text << sql::text(tenantId) << query.text;
    st.binds += scopeBinds;
    if (among)
        st.binds << sql::uuidArray(*among);
    st.binds << query.limit << sql::text(tenantId);
    return st;
}

Result<QList<SearchHitRecord>> SearchRepository::messages(QSqlDatabase &db, const QUuid &tenantId,
                                                          const TicketScope &scope, const SearchQuery &query)
{
    if (searchKindsOf(query).isEmpty())
        return QList<SearchHitRecord>();
    QStringList kindList;
    if (query.messages)
        kindList << QStringLiteral("inbound") << QStringLiteral("outbound");
    if (query.notes)
        kindList << QStringLiteral("note");
    const SearchProbe probe{QStringLiteral("messages"),
                            QStringLiteral("x.kind IN (%1)").arg(searchKindsOf(query)),
                            QStringLiteral("SELECT p.id FROM search_message_ids(?, ?::text[], ?) AS p(id)"),
                            {QVariant(QStringLiteral("{") + kindList.join(QLatin1Char(',')) + QLatin1Char('}'))}};
    Result<std::optional<QList<QUuid>>> rare = rareMatches(db, tenantId, query.text, probe);
    if (!rare.ok())
        return rare.error();
    if (rare->has_value() && rare->value().isEmpty())
        return QList<SearchHitRecord>();
    const bool common = !rare->has_value();
    // A common word: the walk, never a bitmap of every match.
    if (common) {
        if (Status s = setPlanner(db, "enable_bitmapscan", false); !s.ok())
            return s.error();
    }
    const SqlStatement st = messagesStatement(tenantId, scope, query, rare.value());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(st.sql);
    for (const QVariant &v : st.binds)
        q.addBindValue(v);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<SearchHitRecord> out;
    while (q.next()) {
        SearchHitRecord h;
        h.messageId = idAt(q, 0);
        h.ticketId = idAt(q, 1);
        h.kind = q.value(2).toString() == QLatin1String("note") ? QStringLiteral("note") : QStringLiteral("message");
        h.createdAt = timeAt(q, 3);
        h.contactId = idAt(q, 4);
        h.contactName = q.value(5).toString();
        h.contactPhone = q.value(6).toString();
        h.snippet = snippetHtml(q.value(7).toString());
        h.rank = q.value(8).toDouble();
        out.append(h);
    }
    if (common) {
        if (Status s = setPlanner(db, "enable_bitmapscan", true); !s.ok())
            return s.error();
    }
    return out;
}

Result<QList<SearchHitRecord>> SearchRepository::contacts(QSqlDatabase &db, const QUuid &tenantId,
                                                          const SearchQuery &query)
{
    const QString digits = phoneDigits(query.text.trimmed());
    // The full-text branch reads only the matches of a rare word (none: the branch is dropped) and walks
    // contacts_recent_idx for a common one.
    const SearchProbe probe{QStringLiteral("contacts"),
                            QStringLiteral("x.merged_into IS NULL"),
                            QStringLiteral("SELECT p.id FROM search_contact_ids(?, ?) AS p(id)"),
                            {}};
    Result<std::optional<QList<QUuid>>> rare = rareMatches(db, tenantId, query.text, probe);
    if (!rare.ok())
        return rare.error();
    const std::optional<QList<QUuid>> &among = rare.value();
    QString textBranch = QStringLiteral(
        " UNION ALL (SELECT c.id, 0 FROM contacts c WHERE c.tenant_id = ?::uuid AND c.merged_into IS NULL "
        "   AND c.search @@ websearch_to_tsquery('atende_pt', ?)%1 ORDER BY c.updated_at DESC, c.id LIMIT ?)");
    textBranch = among && among->isEmpty()
                     ? QString()
                     : textBranch.arg(among ? QStringLiteral(" AND c.id = ANY(?::uuid[])") : QString());
    QSqlQuery q(db);
    // Three bounded branches, each served by its own index in its own order (0015): name prefix, phone
    // prefix, full text (most recently updated first; the tsquery written out so the planner sees it). Only their union
    // (at most 3 x limit rows) is ranked: a prefix hit counts 1 on top of the text rank, so "Mar" lists Maria before a
    // note mentioning "mar".
    q.prepare(QStringLiteral(
                  "WITH hits AS ("
                  " (SELECT p.id, 1 AS boost FROM search_contact_prefix_ids(lower(?), ?) AS p(id) WHERE ? <> '')"
                  " UNION ALL"
                  " (SELECT c.id, 1 FROM contacts c WHERE c.tenant_id = ?::uuid AND c.merged_into IS NULL AND ? <> '' "
                  "   AND c.phone COLLATE \"C\" >= ? AND c.phone COLLATE \"C\" < ? || chr(1114111) "
                  "   AND c.phone COLLATE \"C\" LIKE ? || '%' ORDER BY c.phone COLLATE \"C\", c.id LIMIT ?)%1) "
                  "SELECT c.id, c.name, c.phone, c.created_at, "
                  "ts_rank(c.search, websearch_to_tsquery('atende_pt', ?)) + h.boost AS rank "
                  "FROM (SELECT id, sum(boost) AS boost FROM hits GROUP BY id) h "
                  "JOIN contacts c ON c.tenant_id = ?::uuid AND c.id = h.id "
                  "ORDER BY rank DESC, lower(c.name), c.id LIMIT ?")
                  .arg(textBranch));
    const QString tenant = sql::text(tenantId);
    // Under RLS neither LIKE nor lower(name) can be an index condition (not LEAKPROOF): names go through migration
    // 0018's search_contact_prefix_ids, phone digits through an explicit range (>= p, < p || U+10FFFF).
    const QString typedPrefix = query.text.trimmed();
    QVariantList binds{typedPrefix, query.limit, typedPrefix, tenant, digits, digits, digits, digits, query.limit};
    if (!textBranch.isEmpty()) {
        binds << tenant << query.text;
        if (among)
            binds << sql::uuidArray(*among);
        binds << query.limit;
    }
    binds << query.text << tenant << query.limit;
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<SearchHitRecord> out;
    const QString typed = query.text.trimmed();
    while (q.next()) {
        SearchHitRecord h;
        h.kind = QStringLiteral("contact");
        h.contactId = idAt(q, 0);
        h.contactName = q.value(1).toString();
        h.contactPhone = q.value(2).toString();
        h.createdAt = timeAt(q, 3);
        h.rank = q.value(4).toDouble();
        // The typed prefix of the name is the match to show.
        QString marked = h.contactName;
        if (!typed.isEmpty() && marked.startsWith(typed, Qt::CaseInsensitive))
            marked = kStartSel + marked.left(typed.size()) + kStopSel + marked.mid(typed.size());
        h.snippet = snippetHtml(marked);
        out.append(h);
    }
    return out;
}

Result<HistoryPage> SearchRepository::history(QSqlDatabase &db, const QUuid &tenantId, const TicketScope &scope,
                                              const QUuid &contactId, const std::optional<MessageCursor> &before,
                                              int limit)
{
    HistoryPage page;
    QVariantList binds;
    const QString visible = scope.sqlCondition(QStringLiteral("t"), binds);
    db::Query t(db, QStringLiteral("SELECT t.id, t.connection_id, t.sector_id, t.assignee_id, t.state, t.cycle, "
                                   "t.created_at, t.closed_at FROM tickets t WHERE t.tenant_id = ?::uuid AND "
                                   "t.contact_id = ?::uuid AND %1 ORDER BY t.created_at DESC, t.id DESC LIMIT %2")
                        .arg(visible)
                        .arg(kHistoryTickets));
    t.addBindValue(sql::text(tenantId));
    t.addBindValue(sql::text(contactId));
    for (const QVariant &v : std::as_const(binds))
        t.addBindValue(v);
    if (Status s = db::exec(t); !s.ok())
        return s.error();
    while (t.next()) {
        HistoryTicketRecord r;
        r.id = idAt(t, 0);
        r.connectionId = idAt(t, 1);
        r.sectorId = idAt(t, 2);
        r.assigneeId = idAt(t, 3);
        r.state = t.value(4).toString();
        r.cycle = t.value(5).toInt();
        r.createdAt = timeAt(t, 6);
        r.closedAt = timeAt(t, 7);
        page.tickets.append(r);
    }

    QSqlQuery q(db);
    QString where = QStringLiteral("JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id "
                                   "WHERE m.tenant_id = ?::uuid AND m.contact_id = ?::uuid AND %1")
                        .arg(visible);
    if (before)
        where += QStringLiteral(" AND (m.created_at, m.id) < "
                                "(timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)");
    q.prepare(selectMessageSql() + where + QStringLiteral(" ORDER BY m.created_at DESC, m.id DESC LIMIT ?"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contactId));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (before) {
        q.addBindValue(before->createdUs);
        q.addBindValue(sql::text(before->id));
    }
    q.addBindValue(limit + 1);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    while (q.next())
        page.messages.append(messageFromRow(q));
    if (page.messages.size() > limit) {
        page.messages.resize(limit);
        page.next = cursorOf(page.messages.constLast());
    }
    return page;
}

} // namespace atende::server::desk
