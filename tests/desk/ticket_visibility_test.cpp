// The one visibility rule (TicketScope) on every read and change, and the sessions ticket events reach.

#include "tests/desk/ticket_fixture.h"
#include "tests/support/status_assertions.h"

namespace atende::test {

using core::Result;
namespace v1 = atende::api::v1;

namespace {

QStringList idsOf(const Result<v1::ListTicketsResponse> &r)
{
    QStringList out;
    if (r.ok())
        for (const v1::Ticket &t : r->tickets())
            out << QString::fromStdString(t.id());
    return out;
}

} // namespace

TEST_F(TicketTest, AnAgentDoesNotSeeListOrAcceptTicketsOfAnotherSector)
{
    const v1::Ticket inX = newWaitingTicket(sectorX);
    const v1::Ticket inY = newWaitingTicket(sectorY);
    const v1::Ticket general = newWaitingTicket(QUuid()); // the tenant's general queue
    v1::ListTicketsRequest waiting;
    waiting.set_view("waiting");
    const QStringList seen = idsOf(call<v1::ListTicketsResponse>("tickets.list", agentA, waiting));
    EXPECT_TRUE(seen.contains(QString::fromStdString(inX.id())));
    EXPECT_TRUE(seen.contains(QString::fromStdString(general.id())));
    EXPECT_FALSE(seen.contains(QString::fromStdString(inY.id())));
    EXPECT_EQ(idsOf(call<v1::ListTicketsResponse>("tickets.list", supervisorA, waiting)).size(), 3);
    for (const char *op : {"tickets.get", "tickets.accept", "tickets.close", "tickets.reopen"})
        EXPECT_TRUE(isError(simple(op, agentA, inY.id()), "not_found")) << op;
    v1::TicketTimelineRequest timeline;
    timeline.set_id(inY.id());
    EXPECT_TRUE(isError(call<v1::TicketTimelineResponse>("tickets.timeline", agentA, timeline), "not_found"));
    v1::ListTicketsRequest bySector = waiting;
    bySector.set_sector_id(text(sectorY).toStdString());
    EXPECT_TRUE(idsOf(call<v1::ListTicketsResponse>("tickets.list", agentA, bySector)).isEmpty());
    v1::AcceptNextTicketRequest next;
    next.set_sector_id(text(sectorY).toStdString());
    EXPECT_TRUE(isError(act("tickets.accept_next", agentA, next), "not_found"));
    EXPECT_EQ(column(inY.id(), QStringLiteral("state")), QStringLiteral("waiting"));
    EXPECT_EQ(eventCount(inY.id()), 2);
    // Counts follow the same rule.
    Result<v1::CountTicketsResponse> counts =
        call<v1::CountTicketsResponse>("tickets.counts", agentA, v1::CountTicketsRequest());
    ASSERT_TRUE(isOk(counts));
    EXPECT_EQ(counts->waiting(), 2);
    // Another tenant sees none of it.
    EXPECT_TRUE(isError(simple("tickets.get", adminB, inX.id()), "not_found"));
    EXPECT_TRUE(idsOf(call<v1::ListTicketsResponse>("tickets.list", adminB, waiting)).isEmpty());
}

TEST_F(TicketTest, AnAgentSeesTicketsAssignedToThemInOtherSectors)
{
    const v1::Ticket inY = newWaitingTicket(sectorY);
    v1::AssignTicketRequest assign;
    assign.set_id(inY.id());
    assign.set_user_id(text(agentA.userId).toStdString());
    ASSERT_TRUE(isOk(act("tickets.assign", supervisorA, assign)));
    for (const char *view : {"mine", "team"}) {
        v1::ListTicketsRequest req;
        req.set_view(view);
        EXPECT_EQ(idsOf(call<v1::ListTicketsResponse>("tickets.list", agentA, req)),
                  QStringList{QString::fromStdString(inY.id())})
            << view;
    }
    EXPECT_TRUE(isOk(simple("tickets.get", agentA, inY.id())));
    EXPECT_TRUE(isOk(simple("tickets.hold", agentA, inY.id())));
    // agentY (member of Y) sees it in the team view, not in "mine".
    v1::ListTicketsRequest mine;
    mine.set_view("mine");
    EXPECT_TRUE(idsOf(call<v1::ListTicketsResponse>("tickets.list", agentY, mine)).isEmpty());
    v1::ListTicketsRequest team;
    team.set_view("team");
    EXPECT_EQ(idsOf(call<v1::ListTicketsResponse>("tickets.list", agentY, team)).size(), 1);
    // Closed, it stays in agentA's closed list (they handled it).
    ASSERT_TRUE(isOk(simple("tickets.close", agentA, inY.id())));
    v1::ListTicketsRequest closed;
    closed.set_view("closed");
    EXPECT_EQ(idsOf(call<v1::ListTicketsResponse>("tickets.list", agentA, closed)).size(), 1);
    Result<v1::CountTicketsResponse> counts =
        call<v1::CountTicketsResponse>("tickets.counts", agentA, v1::CountTicketsRequest());
    ASSERT_TRUE(isOk(counts));
    EXPECT_EQ(counts->mine(), 0);
}

TEST_F(TicketTest, TicketEventsReachExactlyTheSessionsThatMaySeeTheTicket)
{
    HubInbox inboxX, inboxY, inboxSupervisor, inboxOtherTenant, inboxOtherX;
    subscribe(agentA, {sectorX}, inboxX);
    subscribe(agentY, {sectorY}, inboxY);
    subscribe(supervisorA, {}, inboxSupervisor);
    subscribe(adminB, {}, inboxOtherTenant);
    const DeskPerson otherX =
        seedUser(adminA.tenantId, QStringLiteral("agent"), QStringLiteral("other.x@acme.example"));
    subscribe(otherX, {sectorX}, inboxOtherX);

    const v1::Ticket t = newWaitingTicket(sectorX);
    const QString id = QString::fromStdString(t.id());
    ASSERT_EQ(inboxX.ticketChanges(id).size(), 1);
    EXPECT_EQ(inboxX.ticketChanges(id)[0].change(), "created");
    EXPECT_EQ(inboxSupervisor.ticketChanges(id).size(), 1);
    EXPECT_EQ(inboxOtherX.ticketChanges(id).size(), 1);
    EXPECT_TRUE(inboxY.ticketChanges(id).isEmpty());
    EXPECT_TRUE(inboxOtherTenant.events.isEmpty());

    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    EXPECT_EQ(inboxX.ticketChanges(id).last().change(), "accepted");
    EXPECT_EQ(inboxOtherX.ticketChanges(id).size(), 2); // the queue of X drops it
    EXPECT_TRUE(inboxY.ticketChanges(id).isEmpty());

    // Assigned to agentY: Y's member gets it with the alert; X's sessions learn it changed hands.
    v1::AssignTicketRequest assign;
    assign.set_id(t.id());
    assign.set_user_id(text(agentY.userId).toStdString());
    ASSERT_TRUE(isOk(act("tickets.assign", supervisorA, assign)));
    ASSERT_EQ(inboxY.ticketChanges(id).size(), 1);
    EXPECT_TRUE(inboxY.ticketChanges(id)[0].alert());
    EXPECT_EQ(inboxY.ticketChanges(id)[0].previous_assignee_id(), text(agentA.userId).toStdString());
    EXPECT_EQ(inboxX.ticketChanges(id).last().change(), "assigned");
    EXPECT_TRUE(inboxOtherTenant.events.isEmpty());

    // Transferred to sector Y's queue: Y gets the alert, X (previous sector) gets the drop without one.
    v1::TransferTicketRequest transfer;
    transfer.set_id(t.id());
    transfer.set_sector_id(text(sectorY).toStdString());
    ASSERT_TRUE(isOk(act("tickets.transfer", agentY, transfer)));
    // agentY is in both audiences (member of Y, previous assignee): one copy alerts, the other does not.
    int alerts = 0;
    for (const v1::TicketChanged &c : inboxY.ticketChanges(id))
        if (c.change() == "transferred") {
            alerts += c.alert() ? 1 : 0;
            EXPECT_EQ(c.ticket().sector_id(), text(sectorY).toStdString());
        }
    EXPECT_EQ(alerts, 1);
    const v1::TicketChanged drop = inboxOtherX.ticketChanges(id).last();
    EXPECT_EQ(drop.change(), "transferred");
    EXPECT_FALSE(drop.alert());
    EXPECT_EQ(drop.previous_sector_id(), text(sectorX).toStdString());
    const int xBefore = int(inboxX.ticketChanges(id).size());
    // Now in Y without an assignee: X's sessions hear nothing more about it.
    ASSERT_TRUE(isOk(simple("tickets.accept", agentY, t.id())));
    EXPECT_EQ(inboxX.ticketChanges(id).size(), xBefore);
    EXPECT_EQ(inboxY.ticketChanges(id).last().change(), "accepted");
    EXPECT_TRUE(inboxOtherTenant.events.isEmpty());
    // Sequence numbers only grow.
    for (qsizetype i = 1; i < inboxSupervisor.events.size(); ++i)
        EXPECT_LT(inboxSupervisor.events[i - 1].seq(), inboxSupervisor.events[i].seq());
}

} // namespace atende::test
