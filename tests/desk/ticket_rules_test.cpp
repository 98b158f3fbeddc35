// Who may do what to a ticket, transfers and assignments, tags, agent-initiated tickets and bad input.

#include "tests/desk/ticket_fixture.h"
#include "tests/support/status_assertions.h"

namespace atende::test {

using core::Result;
namespace v1 = atende::api::v1;

TEST_F(TicketTest, TransferToASectorQueuesItThereWithoutAssigneeAndKeepsTheNote)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    v1::TransferTicketRequest req;
    req.set_id(t.id());
    req.set_sector_id(text(sectorY).toStdString());
    req.set_reason("billing question");
    req.set_note("Cliente quer segunda via do boleto");
    Result<v1::Ticket> moved = act("tickets.transfer", agentA, req);
    ASSERT_TRUE(isOk(moved));
    EXPECT_EQ(moved->state(), "waiting");
    EXPECT_EQ(moved->sector_id(), text(sectorY).toStdString());
    EXPECT_TRUE(moved->assignee_id().empty());
    EXPECT_EQ(moved->queued_at(), t.queued_at()); // the cycle's wait started when the customer wrote
    const QString id = QString::fromStdString(t.id());
    EXPECT_EQ(scalar(QStringLiteral("SELECT from_state || ' ' || to_state || ' ' || from_sector_id || ' ' || "
                                    "to_sector_id || ' ' || from_user_id || ' ' || coalesce(to_user_id::text, '-') || "
                                    "' ' || actor_user_id || ' ' || reason FROM ticket_events WHERE ticket_id = '%1' "
                                    "AND kind = 'transferred'")
                         .arg(id))
                  .toString(),
              QStringLiteral("in_service waiting %1 %2 %3 - %3 billing question")
                  .arg(text(sectorX), text(sectorY), text(agentA.userId)));
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT kind || ' ' || status || ' ' || author_user_id || ' ' || body FROM messages "
                              "WHERE ticket_id = '%1'")
                   .arg(id))
            .toString(),
        QStringLiteral("note none %1 Cliente quer segunda via do boleto").arg(text(agentA.userId)));
    EXPECT_EQ(scalar(QStringLiteral("SELECT (e.data->>'note_id')::uuid = m.id FROM ticket_events e, messages m "
                                    "WHERE e.ticket_id = '%1' AND e.kind = 'transferred' AND m.ticket_id = e.ticket_id")
                         .arg(id))
                  .toBool(),
              true);
    // agentA no longer has it; the same transfer again changes nothing.
    EXPECT_TRUE(isError(simple("tickets.get", agentA, t.id()), "not_found"));
    Result<v1::Ticket> again = act("tickets.transfer", supervisorA, req);
    ASSERT_TRUE(isError(again, "conflict"));
    EXPECT_EQ(reasonOf(again.error()), QStringLiteral("no_change"));
}

TEST_F(TicketTest, TransferToAnAgentNeedsAnActiveUserOfTheTenant)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    v1::TransferTicketRequest req;
    req.set_id(t.id());
    req.set_user_id(text(adminB.userId).toStdString()); // another tenant's user is nobody here
    EXPECT_TRUE(isError(act("tickets.transfer", agentA, req), "not_found"));
    ASSERT_TRUE(
        m_conn->exec(QStringLiteral("UPDATE users SET active = false WHERE id = '%1'").arg(text(agentY.userId))));
    req.set_user_id(text(agentY.userId).toStdString());
    Result<v1::Ticket> inactive = act("tickets.transfer", agentA, req);
    ASSERT_TRUE(isError(inactive, "conflict"));
    EXPECT_EQ(reasonOf(inactive.error()), QStringLiteral("user_inactive"));
    ASSERT_TRUE(
        m_conn->exec(QStringLiteral("UPDATE users SET active = true WHERE id = '%1'").arg(text(agentY.userId))));
    EXPECT_EQ(eventKinds(t.id()).count(QStringLiteral("transferred")), 0);

    Result<v1::Ticket> moved = act("tickets.transfer", agentA, req);
    ASSERT_TRUE(isOk(moved));
    EXPECT_EQ(moved->state(), "in_service");
    EXPECT_EQ(moved->assignee_id(), text(agentY.userId).toStdString());
    EXPECT_EQ(moved->sector_id(), text(sectorX).toStdString()); // stays in its sector
    EXPECT_EQ(moved->accepted_at(), column(t.id(), QStringLiteral("to_char(accepted_at AT TIME ZONE 'UTC', "
                                                                  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"))
                                        .toStdString());
    // agentY works it now although not a member of sector X; agentA no longer may.
    EXPECT_TRUE(isOk(simple("tickets.hold", agentY, t.id())));
    Result<v1::Ticket> notTheirs = simple("tickets.resume", agentA, t.id());
    ASSERT_TRUE(isError(notTheirs, "permission_denied"));
    EXPECT_EQ(reasonOf(notTheirs.error()), QStringLiteral("not_assignee"));
}

TEST_F(TicketTest, AssignIsForSupervisors)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    v1::AssignTicketRequest req;
    req.set_id(t.id());
    req.set_user_id(text(agentY.userId).toStdString());
    req.set_reason("balancing");
    EXPECT_TRUE(isError(act("tickets.assign", agentA, req), "permission_denied"));
    EXPECT_EQ(column(t.id(), QStringLiteral("state")), QStringLiteral("waiting"));
    Result<v1::Ticket> assigned = act("tickets.assign", supervisorA, req);
    ASSERT_TRUE(isOk(assigned));
    EXPECT_EQ(assigned->state(), "in_service");
    EXPECT_EQ(assigned->assignee_id(), text(agentY.userId).toStdString());
    EXPECT_EQ(scalar(QStringLiteral("SELECT actor_user_id || ' ' || to_user_id || ' ' || reason FROM ticket_events "
                                    "WHERE ticket_id = '%1' AND kind = 'assigned'")
                         .arg(QString::fromStdString(t.id())))
                  .toString(),
              QStringLiteral("%1 %2 balancing").arg(text(supervisorA.userId), text(agentY.userId)));
    Result<v1::Ticket> same = act("tickets.assign", supervisorA, req);
    ASSERT_TRUE(isError(same, "conflict"));
    EXPECT_EQ(reasonOf(same.error()), QStringLiteral("no_change"));
}

TEST_F(TicketTest, AgentsActOnlyOnTheirOwnTickets)
{
    const DeskPerson otherX =
        seedUser(adminA.tenantId, QStringLiteral("agent"), QStringLiteral("other.x@acme.example"));
    addToSector(otherX, sectorX);
    const v1::Ticket t = newWaitingTicket(sectorX);
    // Nobody's ticket yet: only accepting is open to agents.
    EXPECT_TRUE(isError(simple("tickets.close", agentA, t.id()), "permission_denied"));
    ASSERT_TRUE(isOk(simple("tickets.accept", otherX, t.id())));
    const int events = eventCount(t.id());
    for (const char *op : {"tickets.hold", "tickets.close"})
        EXPECT_TRUE(isError(simple(op, agentA, t.id()), "permission_denied")) << op;
    v1::TagTicketRequest tag;
    tag.set_id(t.id());
    tag.set_tag("vip");
    EXPECT_TRUE(isError(act("tickets.tag", agentA, tag), "permission_denied"));
    EXPECT_EQ(eventCount(t.id()), events);
    // A supervisor may act on anyone's ticket.
    EXPECT_TRUE(isOk(simple("tickets.hold", supervisorA, t.id())));
    EXPECT_TRUE(isOk(simple("tickets.close", supervisorA, t.id())));
}

TEST_F(TicketTest, TagsAreIdempotentAndRecorded)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    v1::TagTicketRequest req;
    req.set_id(t.id());
    req.set_tag("  vip ");
    Result<v1::Ticket> tagged = act("tickets.tag", agentA, req);
    ASSERT_TRUE(isOk(tagged));
    ASSERT_EQ(tagged->tags_size(), 1);
    EXPECT_EQ(tagged->tags(0), "vip");
    ASSERT_TRUE(isOk(act("tickets.tag", agentA, req))); // present already: nothing recorded
    EXPECT_EQ(eventKinds(t.id()).count(QStringLiteral("tagged")), 1);
    Result<v1::Ticket> untagged = act("tickets.untag", agentA, req);
    ASSERT_TRUE(isOk(untagged));
    EXPECT_EQ(untagged->tags_size(), 0);
    ASSERT_TRUE(isOk(act("tickets.untag", agentA, req)));
    EXPECT_EQ(eventKinds(t.id()).count(QStringLiteral("untagged")), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT data->>'tag' FROM ticket_events WHERE ticket_id = '%1' AND kind = 'tagged'")
                         .arg(QString::fromStdString(t.id())))
                  .toString(),
              QStringLiteral("vip"));
    // Closed tickets can still be classified.
    ASSERT_TRUE(isOk(simple("tickets.close", agentA, t.id())));
    EXPECT_TRUE(isOk(act("tickets.tag", agentA, req)));
    req.set_tag("");
    EXPECT_TRUE(isError(act("tickets.tag", agentA, req), "invalid_argument"));
}

TEST_F(TicketTest, AnAgentStartsAConversationOncePerContactAndConnection)
{
    const QUuid contact = createContactRow(adminA.tenantId, QStringLiteral("Joana"));
    v1::CreateTicketRequest req;
    req.set_contact_id(text(contact).toStdString());
    req.set_connection_id(text(connectionA).toStdString());
    Result<v1::Ticket> created = act("tickets.create", agentA, req);
    ASSERT_TRUE(isOk(created));
    EXPECT_EQ(created->state(), "in_service");
    EXPECT_EQ(created->assignee_id(), text(agentA.userId).toStdString());
    EXPECT_TRUE(created->agent_initiated());
    EXPECT_TRUE(created->queued_at().empty());
    EXPECT_FALSE(created->accepted_at().empty());
    EXPECT_EQ(eventKinds(created->id()), QStringList{QStringLiteral("created")});
    EXPECT_EQ(audit(adminA.tenantId, QStringLiteral("tickets.create")).size(), 1);

    Result<v1::Ticket> second = act("tickets.create", agentY, req);
    ASSERT_TRUE(isError(second, "conflict"));
    EXPECT_EQ(reasonOf(second.error()), QStringLiteral("active_ticket_exists"));
    EXPECT_EQ(second.error().details.value(QStringLiteral("ticketId")).toString().toStdString(), created->id());
    // A customer message now lands on that ticket.
    Result<server::desk::RoutedTicket> routed = route(contact, sectorY);
    ASSERT_TRUE(isOk(routed));
    EXPECT_EQ(text(routed->ticket.id).toStdString(), created->id());
    // Another tenant's contact or connection is not found; a deleted connection neither.
    req.set_contact_id(text(createContactRow(adminB.tenantId, QStringLiteral("Globex"))).toStdString());
    EXPECT_TRUE(isError(act("tickets.create", agentA, req), "not_found"));
    ASSERT_TRUE(m_conn->exec(
        QStringLiteral("UPDATE connections SET deleted_at = now() WHERE id = '%1'").arg(text(connectionA))));
    req.set_contact_id(text(createContactRow(adminA.tenantId, QStringLiteral("Outro"))).toStdString());
    EXPECT_TRUE(isError(act("tickets.create", agentA, req), "not_found"));
}

TEST_F(TicketTest, BadInputIsAClearClientError)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    EXPECT_TRUE(isError(simple("tickets.accept", agentA, "not-a-uuid"), "invalid_argument"));
    EXPECT_TRUE(isError(simple("tickets.accept", agentA, text(QUuid::createUuid()).toStdString()), "not_found"));
    v1::TransferTicketRequest transfer;
    transfer.set_id(t.id());
    Result<v1::Ticket> nowhere = act("tickets.transfer", supervisorA, transfer);
    ASSERT_TRUE(isError(nowhere, "invalid_argument"));
    EXPECT_EQ(reasonOf(nowhere.error()), QStringLiteral("required"));
    transfer.set_sector_id(text(QUuid::createUuid()).toStdString());
    EXPECT_TRUE(isError(act("tickets.transfer", supervisorA, transfer), "not_found"));
    v1::HoldTicketRequest hold;
    hold.set_id(t.id());
    hold.set_reason(std::string(501, 'x'));
    Result<v1::Ticket> tooLong = act("tickets.hold", supervisorA, hold);
    ASSERT_TRUE(isError(tooLong, "invalid_argument"));
    EXPECT_EQ(reasonOf(tooLong.error()), QStringLiteral("too_long"));
    v1::ListTicketsRequest list;
    list.set_view("everything");
    EXPECT_TRUE(isError(call<v1::ListTicketsResponse>("tickets.list", agentA, list), "invalid_argument"));
    list.set_view("waiting");
    list.set_after("garbage!");
    Result<v1::ListTicketsResponse> badCursor = call<v1::ListTicketsResponse>("tickets.list", agentA, list);
    ASSERT_TRUE(isError(badCursor, "invalid_argument"));
    EXPECT_EQ(reasonOf(badCursor.error()), QStringLiteral("invalid_cursor"));
    list.set_after("");
    list.set_limit(201);
    EXPECT_TRUE(isError(call<v1::ListTicketsResponse>("tickets.list", agentA, list), "invalid_argument"));
    EXPECT_EQ(eventCount(t.id()), 2);
}

} // namespace atende::test
