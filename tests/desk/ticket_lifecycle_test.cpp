// The lifecycle through the tickets.* operations: every valid transition with its events, audit rows and
// timeline; every invalid one is a 409 with a stable reason that changes nothing; concurrent accepts.

#include "tests/desk/ticket_fixture.h"
#include "tests/support/status_assertions.h"

#include <QSqlError>
#include <QSqlQuery>

#include <functional>

namespace atende::test {

using core::Result;
namespace v1 = atende::api::v1;

TEST_F(TicketTest, AcceptHoldResumeCloseAndReopenRecordEveryStep)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    Result<v1::Ticket> accepted = simple("tickets.accept", agentA, t.id());
    ASSERT_TRUE(isOk(accepted));
    EXPECT_EQ(accepted->state(), "in_service");
    EXPECT_EQ(accepted->assignee_id(), text(agentA.userId).toStdString());
    EXPECT_FALSE(accepted->accepted_at().empty());

    v1::HoldTicketRequest hold;
    hold.set_id(t.id());
    hold.set_reason("waiting for the invoice");
    Result<v1::Ticket> held = act("tickets.hold", agentA, hold);
    ASSERT_TRUE(isOk(held));
    EXPECT_EQ(held->state(), "on_hold");
    Result<v1::Ticket> resumed = simple("tickets.resume", agentA, t.id());
    ASSERT_TRUE(isOk(resumed));
    EXPECT_EQ(resumed->state(), "in_service");
    Result<v1::Ticket> closed = simple("tickets.close", agentA, t.id());
    ASSERT_TRUE(isOk(closed));
    EXPECT_EQ(closed->state(), "closed");
    EXPECT_FALSE(closed->closed_at().empty());
    EXPECT_EQ(closed->assignee_id(), text(agentA.userId).toStdString()); // who handled the cycle
    Result<v1::Ticket> reopened = simple("tickets.reopen", agentA, t.id());
    ASSERT_TRUE(isOk(reopened));
    EXPECT_EQ(reopened->state(), "waiting");
    EXPECT_EQ(reopened->cycle(), 2);
    EXPECT_TRUE(reopened->assignee_id().empty());
    EXPECT_TRUE(reopened->accepted_at().empty());
    EXPECT_TRUE(reopened->closed_at().empty());
    EXPECT_EQ(reopened->queued_at(), reopened->cycle_started_at());

    // The timeline covers both cycles, with actor, states and the reason.
    v1::TicketTimelineRequest tr;
    tr.set_id(t.id());
    Result<v1::TicketTimelineResponse> timeline = call<v1::TicketTimelineResponse>("tickets.timeline", agentA, tr);
    ASSERT_TRUE(isOk(timeline));
    QStringList kinds;
    for (const v1::TicketEvent &e : timeline->events())
        kinds << QString::fromStdString(e.kind()) + QLatin1Char('@') + QString::number(e.cycle());
    EXPECT_EQ(kinds, (QStringList{QStringLiteral("created@1"), QStringLiteral("queued@1"), QStringLiteral("accepted@1"),
                                  QStringLiteral("held@1"), QStringLiteral("resumed@1"), QStringLiteral("closed@1"),
                                  QStringLiteral("reopened@2"), QStringLiteral("queued@2")}));
    const v1::TicketEvent &acceptedEvent = timeline->events(2);
    EXPECT_EQ(acceptedEvent.actor_user_id(), text(agentA.userId).toStdString());
    EXPECT_EQ(acceptedEvent.from_state(), "waiting");
    EXPECT_EQ(acceptedEvent.to_state(), "in_service");
    EXPECT_EQ(acceptedEvent.to_user_id(), text(agentA.userId).toStdString());
    EXPECT_EQ(acceptedEvent.at(), accepted->accepted_at()); // the event and the row share the instant
    EXPECT_EQ(timeline->events(3).reason(), "waiting for the invoice");
    EXPECT_EQ(timeline->events(5).at(), closed->closed_at());
    EXPECT_EQ(timeline->events(6).from_user_id(), text(agentA.userId).toStdString());
    EXPECT_EQ(timeline->events(6).data().at("previous_cycle"), "1");

    // One audit row per operation, before and after.
    for (const char *action : {"tickets.accept", "tickets.hold", "tickets.resume", "tickets.close", "tickets.reopen"}) {
        const QList<DeskAuditRow> rows = audit(adminA.tenantId, QString::fromLatin1(action));
        ASSERT_EQ(rows.size(), 1) << action;
        EXPECT_EQ(rows[0].actor, text(agentA.userId));
        EXPECT_EQ(rows[0].objectId.toStdString(), t.id());
        EXPECT_NE(rows[0].before.value(QStringLiteral("state")), rows[0].after.value(QStringLiteral("state")));
    }
}

namespace {

struct Refusal {
    const char *setup; // the state the ticket is brought into first
    const char *op;
    const char *reason;
};

} // namespace

TEST_F(TicketTest, InvalidTransitionsAreConflictsThatChangeNothing)
{
    // Walks a fresh ticket of sector X to `state` as agentA.
    const auto ticketIn = [this](const std::string &state) {
        const v1::Ticket t = newWaitingTicket(sectorX);
        if (state != "waiting") {
            EXPECT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
        }
        if (state == "on_hold") {
            EXPECT_TRUE(isOk(simple("tickets.hold", agentA, t.id())));
        }
        if (state == "closed") {
            EXPECT_TRUE(isOk(simple("tickets.close", agentA, t.id())));
        }
        return t.id();
    };
    const Refusal refusals[] = {
        {"waiting", "tickets.hold", "invalid_transition"},
        {"waiting", "tickets.resume", "invalid_transition"},
        {"waiting", "tickets.reopen", "invalid_transition"},
        {"in_service", "tickets.accept", "ticket_already_accepted"},
        {"in_service", "tickets.resume", "invalid_transition"},
        {"in_service", "tickets.reopen", "invalid_transition"},
        {"on_hold", "tickets.accept", "ticket_already_accepted"},
        {"on_hold", "tickets.hold", "invalid_transition"},
        {"on_hold", "tickets.reopen", "invalid_transition"},
        {"closed", "tickets.accept", "invalid_transition"},
        {"closed", "tickets.hold", "invalid_transition"},
        {"closed", "tickets.resume", "invalid_transition"},
        {"closed", "tickets.close", "invalid_transition"},
    };
    for (const Refusal &r : refusals) {
        SCOPED_TRACE(std::string(r.op) + " on " + r.setup);
        const std::string id = ticketIn(r.setup);
        const int events = eventCount(id);
        const QString updated = column(id, QStringLiteral("updated_at"));
        const int audits = audit(adminA.tenantId, QString::fromLatin1(r.op)).size();
        // The supervisor may act on any ticket, so what refuses is the state alone.
        Result<v1::Ticket> out = simple(r.op, supervisorA, id);
        ASSERT_TRUE(isError(out, "conflict"));
        EXPECT_EQ(reasonOf(out.error()), QLatin1String(r.reason));
        EXPECT_EQ(out.error().details.value(QStringLiteral("state")).toString(), QLatin1String(r.setup));
        EXPECT_EQ(column(id, QStringLiteral("state")), QLatin1String(r.setup));
        EXPECT_EQ(column(id, QStringLiteral("updated_at")), updated);
        EXPECT_EQ(eventCount(id), events);
        EXPECT_EQ(audit(adminA.tenantId, QString::fromLatin1(r.op)).size(), audits);
    }
    // Transfer, assign and tag changes of a closed ticket are refused too (tags excepted: they classify it).
    const std::string closed = ticketIn("closed");
    const int events = eventCount(closed);
    v1::TransferTicketRequest transfer;
    transfer.set_id(closed);
    transfer.set_sector_id(text(sectorY).toStdString());
    Result<v1::Ticket> moved = act("tickets.transfer", supervisorA, transfer);
    ASSERT_TRUE(isError(moved, "conflict"));
    EXPECT_EQ(reasonOf(moved.error()), QStringLiteral("invalid_transition"));
    v1::AssignTicketRequest assign;
    assign.set_id(closed);
    assign.set_user_id(text(agentY.userId).toStdString());
    Result<v1::Ticket> assigned = act("tickets.assign", supervisorA, assign);
    ASSERT_TRUE(isError(assigned, "conflict"));
    EXPECT_EQ(reasonOf(assigned.error()), QStringLiteral("invalid_transition"));
    EXPECT_EQ(eventCount(closed), events);
    EXPECT_EQ(column(closed, QStringLiteral("sector_id")), text(sectorX));
}

TEST_F(TicketTest, OfTwoAgentsAcceptingAtTheSameMomentExactlyOneWins)
{
    const DeskPerson otherX =
        seedUser(adminA.tenantId, QStringLiteral("agent"), QStringLiteral("other.x@acme.example"));
    addToSector(otherX, sectorX);
    for (int round = 0; round < 5; ++round) {
        const v1::Ticket t = newWaitingTicket(sectorX);
        v1::AcceptTicketRequest req;
        req.set_id(t.id());
        // Both calls are started before either is awaited; the executor's two workers run them side by side.
        auto first = start(QStringLiteral("tickets.accept"), agentA, req);
        auto second = start(QStringLiteral("tickets.accept"), otherX, req);
        Result<server::api::MessagePtr> a = await(std::move(first));
        Result<server::api::MessagePtr> b = await(std::move(second));
        ASSERT_NE(a.ok(), b.ok()) << "round " << round;
        const core::Error &lost = a.ok() ? b.error() : a.error();
        EXPECT_EQ(lost.code, QStringLiteral("conflict"));
        EXPECT_EQ(reasonOf(lost), QStringLiteral("ticket_already_accepted"));
        const DeskPerson &winner = a.ok() ? agentA : otherX;
        EXPECT_EQ(column(t.id(), QStringLiteral("assignee_id")), text(winner.userId));
        EXPECT_EQ(eventKinds(t.id()).count(QStringLiteral("accepted")), 1);
    }
}

TEST_F(TicketTest, AcceptNextTakesTheLongestWaitingTicketOfMySectors)
{
    const v1::Ticket inY = newWaitingTicket(sectorY); // oldest, but not agentA's sector
    const v1::Ticket first = newWaitingTicket(sectorX);
    const v1::Ticket second = newWaitingTicket(sectorX);
    // Activity does not matter, the queue time does.
    ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE tickets SET last_activity_at = now() - interval '1 day' "
                                            "WHERE id = '%1'")
                                 .arg(QString::fromStdString(second.id()))));
    v1::AcceptNextTicketRequest req;
    Result<v1::Ticket> a = act("tickets.accept_next", agentA, req);
    ASSERT_TRUE(isOk(a));
    EXPECT_EQ(a->id(), first.id());
    EXPECT_EQ(a->state(), "in_service");
    Result<v1::Ticket> b = act("tickets.accept_next", agentA, req);
    ASSERT_TRUE(isOk(b));
    EXPECT_EQ(b->id(), second.id());
    Result<v1::Ticket> none = act("tickets.accept_next", agentA, req);
    ASSERT_TRUE(isError(none, "not_found"));
    EXPECT_EQ(reasonOf(none.error()), QStringLiteral("queue_empty"));
    EXPECT_EQ(column(inY.id(), QStringLiteral("state")), QStringLiteral("waiting"));
    EXPECT_EQ(eventKinds(a->id()).last(), QStringLiteral("accepted"));
    EXPECT_EQ(audit(adminA.tenantId, QStringLiteral("tickets.accept_next")).size(), 2);
}

TEST_F(TicketTest, ClosingMessageIsAnOutboundMessageQueuedForSendingWithTheClose)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    v1::CloseTicketRequest req;
    req.set_id(t.id());
    req.set_reason("resolved");
    req.set_closing_message("Obrigado pelo contato!");
    Result<v1::Ticket> closed = act("tickets.close", agentA, req);
    ASSERT_TRUE(isOk(closed));
    const QString id = QString::fromStdString(t.id());
    const QString message =
        scalar(QStringLiteral("SELECT id::text FROM messages WHERE ticket_id = '%1'").arg(id)).toString();
    ASSERT_FALSE(message.isEmpty());
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT kind || ' ' || status || ' ' || automatic || ' ' || author_user_id || ' ' || "
                              "cycle || ' ' || body FROM messages WHERE id = '%1'")
                   .arg(message))
            .toString(),
        QStringLiteral("outbound pending false %1 1 Obrigado pelo contato!").arg(text(agentA.userId)));
    EXPECT_EQ(scalar(QStringLiteral("SELECT kind || ' ' || state || ' ' || (payload->>'message_id') || ' ' || "
                                    "idempotency_key FROM jobs WHERE tenant_id = '%1'")
                         .arg(text(adminA.tenantId)))
                  .toString(),
              QStringLiteral("message.send queued %1 %1").arg(message));
    EXPECT_EQ(closed->last_message_preview(), "Obrigado pelo contato!");
    EXPECT_EQ(scalar(QStringLiteral("SELECT data->>'message_id' || ' ' || reason FROM ticket_events "
                                    "WHERE ticket_id = '%1' AND kind = 'closed'")
                         .arg(id))
                  .toString(),
              message + QStringLiteral(" resolved"));
    // A refused close queues nothing.
    Result<v1::Ticket> again = act("tickets.close", agentA, req);
    ASSERT_TRUE(isError(again, "conflict"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages WHERE ticket_id = '%1'").arg(id)).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs")).toInt(), 1);
}

TEST_F(TicketTest, TicketEventsAreAppendOnly)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    const int before = eventCount(t.id());
    ASSERT_GT(before, 0);
    const QString id = QString::fromStdString(t.id());
    for (const QString &statement : {QStringLiteral("UPDATE ticket_events SET reason = 'x' WHERE ticket_id = '%1'"),
                                     QStringLiteral("DELETE FROM ticket_events WHERE ticket_id = '%1'"),
                                     QStringLiteral("TRUNCATE ticket_events CASCADE")}) {
        QSqlQuery q(m_conn->db()); // even the superuser
        const QString sql = statement.contains(QLatin1String("%1")) ? statement.arg(id) : statement;
        EXPECT_FALSE(q.exec(sql)) << sql.toStdString();
        EXPECT_TRUE(q.lastError().text().contains(QStringLiteral("append-only"))) << q.lastError().text().toStdString();
    }
    EXPECT_EQ(eventCount(t.id()), before);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM ticket_events WHERE reason = 'x'")).toInt(), 0);
}

} // namespace atende::test
