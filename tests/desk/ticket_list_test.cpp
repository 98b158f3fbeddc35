// tickets.list keyset pages and filters, tickets.counts, and the plans of the list queries on a seeded table.

#include "server/desk/ticket_repository.h"
#include "tests/desk/sql_plan.h"
#include "tests/desk/ticket_fixture.h"
#include "tests/support/status_assertions.h"

#include <QSqlError>
#include <QSqlQuery>

namespace atende::test {

using core::Result;
namespace v1 = atende::api::v1;

TEST_F(TicketTest, KeysetPagesCoverEveryTicketOnceNewestActivityFirst)
{
    QStringList expected;
    for (int i = 0; i < 7; ++i)
        expected.prepend(QString::fromStdString(newWaitingTicket(i % 2 ? sectorX : QUuid()).id()));
    // Two tickets with the very same, newest activity time: the id breaks the tie, none is lost at a page edge.
    ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE tickets SET last_activity_at = (SELECT max(last_activity_at) FROM "
                                            "tickets) + interval '1 second' WHERE id IN ('%1', '%2')")
                                 .arg(expected[2], expected[3])));
    QStringList seen;
    v1::ListTicketsRequest req;
    req.set_view("waiting");
    req.set_limit(3);
    int pages = 0;
    do {
        Result<v1::ListTicketsResponse> page = call<v1::ListTicketsResponse>("tickets.list", agentA, req);
        ASSERT_TRUE(isOk(page));
        ++pages;
        for (const v1::Ticket &t : page->tickets()) {
            seen << QString::fromStdString(t.id());
            // The contact comes with the ticket: a list needs no lookup per row.
            EXPECT_TRUE(QString::fromStdString(t.contact_name()).startsWith(QStringLiteral("Cliente ")));
        }
        req.set_after(page->next_cursor());
        ASSERT_LE(pages, 5);
    } while (!req.after().empty());
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen.size(), 7);
    EXPECT_EQ(QSet<QString>(seen.begin(), seen.end()).size(), 7);
    // Newest first; the two tied ones lead (greatest time), the rest keep their creation order.
    EXPECT_EQ(QSet<QString>({seen[0], seen[1]}), QSet<QString>({expected[2], expected[3]}));
    QStringList rest = expected;
    rest.removeAll(expected[2]);
    rest.removeAll(expected[3]);
    EXPECT_EQ(seen.mid(2), rest);
}

TEST_F(TicketTest, ListFiltersBySectorConnectionTagAndContact)
{
    const v1::Ticket a = newWaitingTicket(sectorX);
    const v1::Ticket b = newWaitingTicket(sectorY);
    const QUuid otherConnection = createConnection(adminA.tenantId, QStringLiteral("Acme 2"));
    const QUuid contactC = createContactRow(adminA.tenantId, QStringLiteral("C"));
    ASSERT_TRUE(isOk(route(contactC, sectorX, otherConnection)));
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, a.id())));
    v1::TagTicketRequest tag;
    tag.set_id(a.id());
    tag.set_tag("vip");
    ASSERT_TRUE(isOk(act("tickets.tag", agentA, tag)));

    const auto ids = [this](const v1::ListTicketsRequest &req) {
        QStringList out;
        Result<v1::ListTicketsResponse> r = call<v1::ListTicketsResponse>("tickets.list", supervisorA, req);
        EXPECT_TRUE(isOk(r));
        if (r.ok())
            for (const v1::Ticket &t : r->tickets())
                out << QString::fromStdString(t.id());
        return out;
    };
    v1::ListTicketsRequest req;
    req.set_view("waiting");
    EXPECT_EQ(ids(req).size(), 2);
    req.set_sector_id(text(sectorY).toStdString());
    EXPECT_EQ(ids(req), QStringList{QString::fromStdString(b.id())});
    req.clear_sector_id();
    req.set_connection_id(text(otherConnection).toStdString());
    EXPECT_EQ(ids(req).size(), 1);
    req.clear_connection_id();
    req.set_contact_id(b.contact_id());
    EXPECT_EQ(ids(req), QStringList{QString::fromStdString(b.id())});
    v1::ListTicketsRequest team;
    team.set_view("team");
    team.set_tag("vip");
    EXPECT_EQ(ids(team), QStringList{QString::fromStdString(a.id())});
    team.set_tag("other");
    EXPECT_TRUE(ids(team).isEmpty());
}

TEST_F(TicketTest, CountsFeedTheConsoleTabs)
{
    const v1::Ticket a = newWaitingTicket(sectorX);
    newWaitingTicket(sectorX);
    newWaitingTicket(sectorY);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, a.id())));
    Result<v1::CountTicketsResponse> mine =
        call<v1::CountTicketsResponse>("tickets.counts", agentA, v1::CountTicketsRequest());
    ASSERT_TRUE(isOk(mine));
    EXPECT_EQ(mine->waiting(), 1);
    EXPECT_EQ(mine->mine(), 1);
    EXPECT_EQ(mine->team(), 1);
    EXPECT_FALSE(mine->oldest_waiting_since().empty());
    Result<v1::CountTicketsResponse> all =
        call<v1::CountTicketsResponse>("tickets.counts", supervisorA, v1::CountTicketsRequest());
    ASSERT_TRUE(isOk(all));
    EXPECT_EQ(all->waiting(), 2);
    EXPECT_EQ(all->mine(), 0);
    EXPECT_EQ(all->team(), 1);
    v1::CountTicketsRequest bySector;
    bySector.set_sector_id(text(sectorY).toStdString());
    Result<v1::CountTicketsResponse> y = call<v1::CountTicketsResponse>("tickets.counts", supervisorA, bySector);
    ASSERT_TRUE(isOk(y));
    EXPECT_EQ(y->waiting(), 1);
    EXPECT_EQ(y->team(), 0);
    // The tag filter of the list, on the counts too: only `a` (in service) carries "vip".
    ASSERT_TRUE(m_conn->exec(
        QStringLiteral("UPDATE tickets SET tags = ARRAY['vip'] WHERE id = '%1'").arg(QString::fromStdString(a.id()))));
    v1::CountTicketsRequest byTag;
    byTag.set_tag("vip");
    Result<v1::CountTicketsResponse> vip = call<v1::CountTicketsResponse>("tickets.counts", supervisorA, byTag);
    ASSERT_TRUE(isOk(vip));
    EXPECT_EQ(vip->waiting(), 0);
    EXPECT_EQ(vip->team(), 1);
    byTag.set_tag(std::string(51, 'x'));
    EXPECT_EQ(call<v1::CountTicketsResponse>("tickets.counts", supervisorA, byTag).error().code,
              QLatin1String(core::errc::kInvalidArgument));
}

TEST_F(TicketTest, ListQueriesWalkIndexesInsteadOfSortingEveryTicket)
{
    // 20,000 closed and 2,000 open tickets over 3 sectors and the general queue.
    const QString tenant = text(adminA.tenantId);
    ASSERT_TRUE(m_conn->exec(
        QStringLiteral(
            "INSERT INTO contacts (tenant_id, name) SELECT '%1', 'Seed ' || g FROM generate_series(1, 2000) g;"
            "INSERT INTO tickets (tenant_id, contact_id, connection_id, sector_id, assignee_id, state, "
            "closed_at, last_activity_at) "
            "SELECT '%1', c.id, '%2', (ARRAY['%3', '%4', NULL]::uuid[])[1 + g % 3], "
            "CASE WHEN g % 4 = 0 THEN '%5'::uuid END, 'closed', now() - g * interval '1 minute', "
            "now() - g * interval '1 minute' FROM generate_series(1, 20000) g "
            "JOIN (SELECT id, row_number() OVER () AS n FROM contacts WHERE tenant_id = '%1') c "
            "ON c.n = 1 + g % 2000;"
            "INSERT INTO tickets (tenant_id, contact_id, connection_id, sector_id, assignee_id, state) "
            "SELECT '%1', c.id, '%2', (ARRAY['%3', '%4', NULL]::uuid[])[1 + c.n % 3], "
            "CASE WHEN c.n % 2 = 0 THEN '%5'::uuid END, "
            "CASE WHEN c.n % 2 = 0 THEN 'in_service' ELSE 'waiting' END "
            "FROM (SELECT id, row_number() OVER () AS n FROM contacts WHERE tenant_id = '%1') c;"
            "ANALYZE tickets;")
            .arg(tenant, text(connectionA), text(sectorX), text(sectorY), text(agentA.userId))));

    server::desk::TicketScope agent;
    agent.userId = agentA.userId;
    agent.sectorIds = {sectorX};
    server::desk::TicketScope supervisor;
    supervisor.all = true;
    supervisor.userId = supervisorA.userId;
    for (const char *view : {"waiting", "mine", "team", "closed"}) {
        for (const server::desk::TicketScope *scope : {&agent, &supervisor}) {
            server::desk::TicketFilter filter;
            filter.view = QString::fromLatin1(view);
            const QString plan =
                planOf(m_conn->db(), server::desk::TicketRepository::listStatement(adminA.tenantId, *scope, filter));
            SCOPED_TRACE(std::string(view) + (scope->all ? " (all)" : " (agent)") + "\n" + plan.toStdString());
            if (qEnvironmentVariableIsSet("ATENDE_SHOW_PLANS"))
                qInfo().noquote() << view << (scope->all ? "(all)" : "(agent)") << "\n" << plan;
            EXPECT_FALSE(plan.contains(QStringLiteral("Seq Scan")));
            EXPECT_FALSE(plan.contains(QStringLiteral("Bitmap Heap Scan")));
            EXPECT_TRUE(plan.contains(QStringLiteral("Index Scan")));
            // At most the final merge of the branches' first rows sorts; no branch sorts its tickets.
            EXPECT_LE(plan.count(QStringLiteral("Sort Key")), 1);
            if (plan.contains(QStringLiteral("Sort Key"))) {
                EXPECT_TRUE(plan.contains(QStringLiteral("Append")));
            }
        }
    }
    // The tab counts read the open tickets only (a partial index of open tickets), never the closed history.
    for (const server::desk::TicketScope *scope : {&agent, &supervisor}) {
        const QString plan = planOf(m_conn->db(), server::desk::TicketRepository::countsStatement(
                                                      adminA.tenantId, *scope, server::desk::TicketFilter()));
        if (qEnvironmentVariableIsSet("ATENDE_SHOW_PLANS"))
            qInfo().noquote() << "counts" << (scope->all ? "(all)" : "(agent)") << "\n" << plan;
        EXPECT_FALSE(plan.contains(QStringLiteral("Seq Scan"))) << plan.toStdString();
        EXPECT_TRUE(plan.contains(QStringLiteral("tickets_open_counts_idx")) ||
                    plan.contains(QStringLiteral("tickets_one_active")))
            << plan.toStdString();
    }
    // The pages are right on the big table too: the closed view of the agent, newest first.
    v1::ListTicketsRequest closed;
    closed.set_view("closed");
    closed.set_limit(200);
    Result<v1::ListTicketsResponse> page = call<v1::ListTicketsResponse>("tickets.list", agentA, closed);
    ASSERT_TRUE(isOk(page));
    ASSERT_EQ(page->tickets_size(), 200);
    for (int i = 1; i < page->tickets_size(); ++i)
        EXPECT_GE(page->tickets(i - 1).last_activity_at(), page->tickets(i).last_activity_at());
}

} // namespace atende::test
