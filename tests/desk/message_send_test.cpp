// messages.send -> message.send job -> TestConnector -> sent; who may send where; idempotent requests;
// first response once per cycle; retries with back-off, permanent failures, retry; a job for a message
// already sent sends nothing; read marks.

#include "tests/desk/messages_fixture.h"

#include "server/jobs/job_queue.h"
#include "tests/support/status_assertions.h"

namespace atende::test {

namespace v1 = atende::api::v1;
using core::Result;
using server::desk::IngestResult;

class MessageSendTest : public MessagesTest {
protected:
    void SetUp() override
    {
        MessagesTest::SetUp();
        if (HasFatalFailure())
            return;
        in = receive(connection1, QStringLiteral("5511987653333"), QStringLiteral("S-1"), QStringLiteral("Oi"));
        ASSERT_FALSE(in.ticketId.isNull());
    }

    Result<v1::Message> trySend(const DeskPerson &who, const std::string &body, const std::string &requestId = {})
    {
        v1::SendMessageRequest req;
        req.set_ticket_id(text(in.ticketId).toStdString());
        req.set_body(body);
        req.set_client_request_id(requestId);
        return call<v1::Message>("messages.send", who, req);
    }
    int firstResponses()
    {
        return scalar(QStringLiteral("SELECT count(*) FROM ticket_events WHERE kind = 'first_response'")).toInt();
    }

    IngestResult in;
};

TEST_F(MessageSendTest, SendGoesThroughTheJobToTheConnector)
{
    assign(in.ticketId, agentA);
    const v1::Message m = send(agentA, in.ticketId, "Olá! Como posso ajudar?");
    EXPECT_EQ(m.status(), "pending");
    EXPECT_EQ(m.kind(), "outbound");
    EXPECT_EQ(uuid(m.author_user_id()), agentA.userId);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs WHERE kind = 'message.send' AND idempotency_key = '%1'")
                         .arg(QString::fromStdString(m.id())))
                  .toInt(),
              1);
    ASSERT_EQ(waitForStatus(uuid(m.id()), QStringLiteral("sent")), QStringLiteral("sent"));
    ASSERT_EQ(m_connector->sent().size(), 1);
    const server::desk::OutboundMessage &out = m_connector->sent().first();
    EXPECT_EQ(out.body, QStringLiteral("Olá! Como posso ajudar?"));
    EXPECT_EQ(out.peer.contactId, uuid(m.contact_id()));
    ASSERT_FALSE(out.peer.identities.isEmpty());
    EXPECT_EQ(out.peer.identities.first().value, QStringLiteral("5511987653333"));
    // Events: created (pending), then sent — the assignee and the ticket's audience see both.
    const QList<v1::MessageChanged> events = messageEvents(agentA);
    ASSERT_GE(events.size(), 3); // inbound + pending + sent
    EXPECT_EQ(events.at(events.size() - 2).message().status(), "pending");
    EXPECT_EQ(events.last().message().status(), "sent");
    EXPECT_FALSE(events.last().created());
    EXPECT_EQ(events.last().message().external_id(), "test-" + m.id());
    // The ticket's list fields follow the message; the first response is recorded once per cycle.
    EXPECT_EQ(scalar(QStringLiteral("SELECT last_message_preview FROM tickets")).toString(),
              QStringLiteral("Olá! Como posso ajudar?"));
    EXPECT_EQ(firstResponses(), 1);
    const v1::Message again = send(agentA, in.ticketId, "Mais algo?");
    ASSERT_EQ(waitForStatus(uuid(again.id()), QStringLiteral("sent")), QStringLiteral("sent"));
    EXPECT_EQ(firstResponses(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT actor_user_id::text FROM ticket_events WHERE kind = 'first_response'"))
                  .toString(),
              text(agentA.userId));
}

TEST_F(MessageSendTest, ClientRequestIdMakesSendIdempotent)
{
    assign(in.ticketId, agentA);
    Result<v1::Message> first = trySend(agentA, "uma vez", "req-1");
    ASSERT_TRUE(isOk(first));
    Result<v1::Message> repeat = trySend(agentA, "uma vez", "req-1");
    ASSERT_TRUE(isOk(repeat));
    EXPECT_EQ(repeat->id(), first->id());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages WHERE kind = 'outbound'")).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs WHERE kind = 'message.send'")).toInt(), 1);
    ASSERT_EQ(waitForStatus(uuid(first->id()), QStringLiteral("sent")), QStringLiteral("sent"));
    EXPECT_EQ(m_connector->sent().size(), 1);
}

TEST_F(MessageSendTest, OnlyTheAssigneeOrASupervisorSendsOnATicketBeingWorked)
{
    Result<v1::Message> r = trySend(agentA, "ninguém aceitou ainda");
    ASSERT_TRUE(isError(r, core::errc::kPermissionDenied)); // waiting, and not agentA's
    r = trySend(supervisorA, "ninguém aceitou ainda");
    ASSERT_TRUE(isError(r, core::errc::kConflict));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("ticket_waiting"));

    assign(in.ticketId, agentA);
    r = trySend(agentA2, "não é meu");
    ASSERT_TRUE(isError(r, core::errc::kPermissionDenied));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("not_assignee"));
    EXPECT_TRUE(isOk(trySend(supervisorA, "supervisor entra")));
    EXPECT_TRUE(isOk(trySend(agentA, "é meu")));
    EXPECT_TRUE(isError(trySend(agentA, "   "), core::errc::kInvalidArgument));
    EXPECT_TRUE(isError(trySend(adminB, "outro tenant"), core::errc::kNotFound));

    setTicketState(in.ticketId, QStringLiteral("closed"));
    r = trySend(supervisorA, "fechado");
    ASSERT_TRUE(isError(r, core::errc::kConflict));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("ticket_closed"));
    // An agent outside the ticket's sector does not see it at all.
    setTicketState(in.ticketId, QStringLiteral("waiting"));
    const QUuid sales = createSector(adminA.tenantId, QStringLiteral("Vendas"));
    assign(in.ticketId, agentA, sales);
    EXPECT_TRUE(isError(trySend(agentA2, "fora do setor"), core::errc::kNotFound));
}

TEST_F(MessageSendTest, AgentTypingReachesTheConnectorOnlyFromWhoMaySend)
{
    auto typing = [&](const DeskPerson &who, bool composing) {
        v1::SetTypingRequest req;
        req.set_ticket_id(text(in.ticketId).toStdString());
        req.set_composing(composing);
        return call<v1::SetTypingResponse>("tickets.typing", who, req);
    };
    // Waiting and not agentA's: the same answer as sending.
    EXPECT_TRUE(isError(typing(agentA, true), core::errc::kPermissionDenied));
    EXPECT_TRUE(isError(typing(adminB, true), core::errc::kNotFound));
    EXPECT_TRUE(m_connector->typing().isEmpty());

    assign(in.ticketId, agentA);
    Result<v1::SetTypingResponse> r = typing(agentA, true);
    ASSERT_TRUE(isOk(r));
    EXPECT_TRUE(r->delivered());
    ASSERT_TRUE(isOk(typing(agentA, false)));
    EXPECT_TRUE(isError(typing(agentA2, true), core::errc::kPermissionDenied));
    ASSERT_EQ(m_connector->typing().size(), 2);
    EXPECT_TRUE(m_connector->typing()[0].typing);
    EXPECT_FALSE(m_connector->typing()[1].typing);
    EXPECT_EQ(m_connector->typing()[0].peer.contactId, in.contactId);
    EXPECT_EQ(m_connector->typing()[0].peer.connectionId, connection1);
    ASSERT_FALSE(m_connector->typing()[0].peer.identities.isEmpty());
    EXPECT_EQ(m_connector->typing()[0].peer.identities[0].value, QStringLiteral("5511987653333"));
    // Nothing is stored: no message, no event in the log.
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages WHERE kind = 'outbound'")).toInt(), 0);
}

TEST_F(MessageSendTest, RetryableFailuresAreRetriedThenSent)
{
    assign(in.ticketId, agentA);
    m_connector->failNext(2);
    const v1::Message m = send(agentA, in.ticketId, "tentando");
    ASSERT_EQ(waitForStatus(uuid(m.id()), QStringLiteral("sent")), QStringLiteral("sent"));
    EXPECT_EQ(m_connector->sendAttempts(), 3);
    EXPECT_EQ(m_connector->sent().size(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT attempts FROM jobs WHERE kind = 'message.send'")).toInt(), 3);
}

TEST_F(MessageSendTest, ExhaustedAndPermanentFailuresFailTheMessageWithAReason)
{
    assign(in.ticketId, agentA);
    m_connector->failNext(1000);
    const v1::Message m = send(agentA, in.ticketId, "sem sorte");
    ASSERT_EQ(waitForStatus(uuid(m.id()), QStringLiteral("failed"), 20000), QStringLiteral("failed"));
    EXPECT_EQ(m_connector->sendAttempts(), 8); // the job's max_attempts
    EXPECT_EQ(
        scalar(
            QStringLiteral("SELECT failure_reason FROM messages WHERE id = '%1'").arg(QString::fromStdString(m.id())))
            .toString(),
        QStringLiteral("test_unavailable"));
    (void)QTest::qWaitFor(
        [&] { return scalar(QStringLiteral("SELECT state FROM jobs")).toString() == QLatin1String("dead"); });
    EXPECT_EQ(scalar(QStringLiteral("SELECT state FROM jobs")).toString(), QStringLiteral("dead"));
    EXPECT_EQ(messageEvents(agentA).last().message().status(), "failed");

    // Retry: pending again, a new job, sent this time.
    m_connector->failNext(0);
    v1::RetryMessageRequest retry;
    retry.set_message_id(m.id());
    EXPECT_TRUE(isError(call<v1::Message>("messages.retry", agentA2, retry), core::errc::kPermissionDenied));
    Result<v1::Message> r = call<v1::Message>("messages.retry", agentA, retry);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->status(), "pending");
    ASSERT_EQ(waitForStatus(uuid(m.id()), QStringLiteral("sent")), QStringLiteral("sent"));
    r = call<v1::Message>("messages.retry", agentA, retry);
    ASSERT_TRUE(isError(r, core::errc::kConflict));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("not_failed"));

    // A permanent refusal fails at once: one attempt, job dead.
    m_connector->failPermanently(true);
    const int attempts = m_connector->sendAttempts();
    const v1::Message refused = send(agentA, in.ticketId, "recusada");
    ASSERT_EQ(waitForStatus(uuid(refused.id()), QStringLiteral("failed")), QStringLiteral("failed"));
    EXPECT_EQ(m_connector->sendAttempts(), attempts + 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT failure_reason FROM messages WHERE id = '%1'")
                         .arg(QString::fromStdString(refused.id())))
                  .toString(),
              QStringLiteral("test_rejected"));
}

TEST_F(MessageSendTest, AJobForAMessageAlreadySentSendsNothing)
{
    assign(in.ticketId, agentA);
    const v1::Message m = send(agentA, in.ticketId, "só uma vez");
    ASSERT_EQ(waitForStatus(uuid(m.id()), QStringLiteral("sent")), QStringLiteral("sent"));
    ASSERT_EQ(m_connector->sendAttempts(), 1);
    // The same job delivered again (a lease that expired after the send, another instance): a new job row
    // with the same payload, since the queue deduplicates by key.
    const QUuid tenant = adminA.tenantId;
    const QString id = QString::fromStdString(m.id());
    Result<QUuid> job =
        m_db->runTenant(tenant,
                        [tenant, id](QSqlDatabase &db) {
                            return server::jobs::JobQueue::enqueue(db, tenant, QStringLiteral("message.send"),
                                                                   QJsonObject{{QStringLiteral("message_id"), id}});
                        })
            .result();
    ASSERT_TRUE(isOk(job));
    (void)QTest::qWaitFor([&] {
        return scalar(QStringLiteral("SELECT state FROM jobs WHERE id = '%1'").arg(text(job.value()))).toString() ==
               QLatin1String("done");
    });
    EXPECT_EQ(scalar(QStringLiteral("SELECT state FROM jobs WHERE id = '%1'").arg(text(job.value()))).toString(),
              QStringLiteral("done"));
    EXPECT_EQ(m_connector->sendAttempts(), 1);
    EXPECT_EQ(statusOf(uuid(m.id())), QStringLiteral("sent"));
}

TEST_F(MessageSendTest, MarkReadClearsUnreadAndSendsAReadMarkOnce)
{
    receive(connection1, QStringLiteral("5511987653333"), QStringLiteral("S-2"), QStringLiteral("Alô?"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT unread_count FROM tickets")).toInt(), 2);
    v1::MarkReadRequest req;
    req.set_ticket_id(text(in.ticketId).toStdString());
    // A colleague looking at the queue clears the count but tells the customer nothing.
    const QString events = QStringLiteral("SELECT count(*) FROM event_log");
    const int before = scalar(events).toInt();
    Result<v1::MarkReadResponse> r = call<v1::MarkReadResponse>("messages.mark_read", agentA2, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r->receipt_queued());
    EXPECT_EQ(scalar(QStringLiteral("SELECT unread_count FROM tickets")).toInt(), 0);
    // The lists learn that the badge went to zero (one TicketChanged), and only when it changed.
    EXPECT_EQ(scalar(events).toInt(), before + 1);
    ASSERT_TRUE(isOk(call<v1::MarkReadResponse>("messages.mark_read", agentA2, req)));
    EXPECT_EQ(scalar(events).toInt(), before + 1);

    assign(in.ticketId, agentA);
    r = call<v1::MarkReadResponse>("messages.mark_read", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_TRUE(r->receipt_queued());
    (void)QTest::qWaitFor([&] { return !m_connector->reads().isEmpty(); });
    ASSERT_EQ(m_connector->reads().size(), 1);
    EXPECT_EQ(m_connector->reads().first().externalIds, QStringList{QStringLiteral("S-2")});
    // Marking the same last message again queues nothing new.
    r = call<v1::MarkReadResponse>("messages.mark_read", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM jobs WHERE kind = 'message.read'")).toInt(), 1);
    // A connection that sends no read receipts.
    ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE connections SET send_read_receipts = false")));
    receive(connection1, QStringLiteral("5511987653333"), QStringLiteral("S-3"), QStringLiteral("?"));
    r = call<v1::MarkReadResponse>("messages.mark_read", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r->receipt_queued());
}

} // namespace atende::test
