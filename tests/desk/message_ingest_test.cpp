// The Inbox: idempotent ingest (N2), one ticket for concurrent messages of a new contact (N3), receipts that
// only move forward, ephemeral typing events, the stored-or-not lookup of an external id.

#include "tests/desk/messages_fixture.h"

#include "server/accounts/change_log.h"
#include "server/db/sql_util.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_postgres.h"

#include <QSet>

#include <vector>

namespace atende::test {

namespace v1 = atende::api::v1;
using core::Result;
using server::desk::InboundMessage;
using server::desk::IngestResult;
using server::desk::Receipt;

TEST_F(MessagesTest, RepeatedIngestStoresOneMessageAndAnnouncesItOnce)
{
    const InboundMessage m = inbound(connection1, QStringLiteral("5511987650001"), QStringLiteral("WAMID-1"),
                                     QStringLiteral("Olá, preciso de ajuda"), QStringLiteral("Maria Souza"));
    QList<IngestResult> results;
    for (int i = 0; i < 5; ++i) {
        Result<IngestResult> r = await(m_inbox->ingest(m));
        ASSERT_TRUE(isOk(r));
        results.append(r.value());
    }
    EXPECT_FALSE(results.first().duplicate);
    for (int i = 1; i < 5; ++i) {
        EXPECT_TRUE(results.at(i).duplicate);
        EXPECT_EQ(results.at(i).messageId, results.first().messageId);
        EXPECT_EQ(results.at(i).ticketId, results.first().ticketId);
    }
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages WHERE external_id = 'WAMID-1'")).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM tickets")).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT unread_count FROM tickets")).toInt(), 1);
    // The ticket waits in the general queue, so every agent of A sees the one event; B sees nothing.
    const QList<v1::MessageChanged> events = messageEvents(agentA);
    ASSERT_EQ(events.size(), 1);
    EXPECT_TRUE(events.first().created());
    EXPECT_EQ(events.first().message().body(), "Olá, preciso de ajuda");
    EXPECT_EQ(events.first().message().kind(), "inbound");
    EXPECT_EQ(events.first().message().status(), "received");
    EXPECT_FALSE(events.first().message().sent_at().empty()); // the sender's clock
    EXPECT_TRUE(messageEvents(adminB).isEmpty());
    EXPECT_EQ(scalar(QStringLiteral("SELECT name FROM contacts")).toString(), QStringLiteral("Maria Souza"));
}

// A connector asks whether a message it cannot read again (its key was used) was committed before.
TEST_F(MessagesTest, IsStoredAnswersPerConnectionAndTenant)
{
    receive(connection1, QStringLiteral("5511987650002"), QStringLiteral("WAMID-STORED"), QStringLiteral("oi"));
    const auto stored = [&](const QUuid &tenant, const QUuid &connection, const QString &id) {
        return await(m_inbox->isStored(tenant, connection, id));
    };
    Result<bool> r = stored(adminA.tenantId, connection1, QStringLiteral("WAMID-STORED"));
    ASSERT_TRUE(isOk(r));
    EXPECT_TRUE(r.value());
    r = stored(adminA.tenantId, connection1, QStringLiteral("WAMID-NEVER"));
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r.value());
    r = stored(adminA.tenantId, connection2, QStringLiteral("WAMID-STORED")); // ids are per connection
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r.value());
    r = stored(adminB.tenantId, connection1, QStringLiteral("WAMID-STORED")); // another tenant sees nothing
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r.value());
    EXPECT_TRUE(isError(stored(adminA.tenantId, connection1, QString()), core::errc::kInvalidArgument));
}

TEST_F(MessagesTest, BadInboundMessagesAreRefused)
{
    InboundMessage m = inbound(connection1, QStringLiteral("5511987650001"), QString(), QStringLiteral("x"));
    EXPECT_TRUE(isError(await(m_inbox->ingest(m)), core::errc::kInvalidArgument));
    m.externalId = QStringLiteral("E1");
    m.senderKind = QStringLiteral("email");
    EXPECT_TRUE(isError(await(m_inbox->ingest(m)), core::errc::kInvalidArgument));
    m.senderKind = QStringLiteral("wa_phone");
    m.connectionId = QUuid::createUuid();
    EXPECT_TRUE(isError(await(m_inbox->ingest(m)), core::errc::kNotFound));
    // Another tenant's connection is not found either (RLS).
    v1::CreateConnectionRequest req;
    req.set_name("B");
    req.set_kind("test");
    Result<v1::Connection> b = call<v1::Connection>("connections.create", adminB, req);
    ASSERT_TRUE(isOk(b));
    m.connectionId = uuid(b->id());
    EXPECT_TRUE(isError(await(m_inbox->ingest(m)), core::errc::kNotFound));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts")).toInt(), 0);
}

TEST_F(MessagesTest, ConcurrentMessagesOfANewContactMakeOneTicket)
{
    // The Inbox keeps one conversation on one worker; to race for real, the ingest transaction also runs
    // unkeyed on an executor with several workers.
    server::db::DbExecutor racing(m_config, 6);
    ASSERT_TRUE(racing.start().ok());
    const QString sender = QStringLiteral("5521912340000");
    QList<QFuture<Result<IngestResult>>> raw;
    std::vector<QCoro::Task<Result<IngestResult>>> viaInbox;
    for (int i = 0; i < 50; ++i) {
        const InboundMessage m = inbound(connection1, sender, QStringLiteral("RACE-%1").arg(i),
                                         QStringLiteral("mensagem %1").arg(i), QStringLiteral("Novo Cliente"));
        if (i % 2 == 0) {
            raw.append(racing.runTenant(m.tenantId, [m](QSqlDatabase &db) -> Result<IngestResult> {
                server::accounts::Outbox outbox;
                return server::desk::ingestIn(db, m, outbox);
            }));
        } else {
            viaInbox.push_back(m_inbox->ingest(m));
        }
    }
    QSet<QUuid> tickets;
    for (QCoro::Task<Result<IngestResult>> &t : viaInbox) {
        Result<IngestResult> r = await(std::move(t));
        ASSERT_TRUE(isOk(r));
        tickets.insert(r->ticketId);
    }
    for (QFuture<Result<IngestResult>> &f : raw) {
        Result<IngestResult> r = f.result();
        ASSERT_TRUE(isOk(r));
        tickets.insert(r->ticketId);
    }
    racing.stop();
    EXPECT_EQ(tickets.size(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM tickets")).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts")).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 50);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(DISTINCT ticket_id) FROM messages")).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT unread_count FROM tickets")).toInt(), 50);
}

TEST_F(MessagesTest, ReceiptsOnlyMoveForward)
{
    const IngestResult in =
        receive(connection1, QStringLiteral("5511987650002"), QStringLiteral("IN-1"), QStringLiteral("oi"));
    assign(in.ticketId, agentA);
    const v1::Message out = send(agentA, in.ticketId, "Bom dia!");
    ASSERT_EQ(waitForStatus(uuid(out.id()), QStringLiteral("sent")), QStringLiteral("sent"));
    const QString external = QStringLiteral("test-") + QString::fromStdString(out.id());
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT external_id FROM messages WHERE id = '%1'").arg(QString::fromStdString(out.id())))
            .toString(),
        external);

    const auto receipt = [&](const char *status) {
        return await(m_connector->receipt(
            Receipt{adminA.tenantId, connection1, external, QString::fromLatin1(status), QStringLiteral("peer_gone")}));
    };
    const int before = int(messageEvents(agentA).size());
    Result<bool> r = receipt("read"); // skips delivered: read implies it
    ASSERT_TRUE(isOk(r));
    EXPECT_TRUE(r.value());
    EXPECT_EQ(statusOf(uuid(out.id())), QStringLiteral("read"));
    EXPECT_TRUE(scalar(QStringLiteral("SELECT delivered_at IS NOT NULL AND read_at IS NOT NULL FROM messages "
                                      "WHERE id = '%1'")
                           .arg(QString::fromStdString(out.id())))
                    .toBool());
    for (const char *late : {"delivered", "read", "failed"}) {
        r = receipt(late);
        ASSERT_TRUE(isOk(r));
        EXPECT_FALSE(r.value()) << late;
        EXPECT_EQ(statusOf(uuid(out.id())), QStringLiteral("read"));
    }
    EXPECT_EQ(messageEvents(agentA).size(), before + 1);
    EXPECT_EQ(messageEvents(agentA).last().message().status(), "read");
    EXPECT_TRUE(isError(await(m_connector->receipt(
                            Receipt{adminA.tenantId, connection1, QStringLiteral("nope"), QStringLiteral("read"), {}})),
                        core::errc::kNotFound));
    EXPECT_TRUE(isError(receipt("sent"), core::errc::kInvalidArgument));

    // failed only from pending or sent, and it keeps the reason.
    const v1::Message second = send(agentA, in.ticketId, "Mais alguma coisa?");
    ASSERT_EQ(waitForStatus(uuid(second.id()), QStringLiteral("sent")), QStringLiteral("sent"));
    r = await(m_connector->receipt(Receipt{adminA.tenantId, connection1,
                                           QStringLiteral("test-") + QString::fromStdString(second.id()),
                                           QStringLiteral("failed"), QStringLiteral("peer_gone")}));
    ASSERT_TRUE(isOk(r));
    EXPECT_TRUE(r.value());
    EXPECT_EQ(statusOf(uuid(second.id())), QStringLiteral("failed"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT failure_reason FROM messages WHERE id = '%1'")
                         .arg(QString::fromStdString(second.id())))
                  .toString(),
              QStringLiteral("peer_gone"));
}

TEST_F(MessagesTest, TypingIsAnEphemeralEventOfTheActiveTicket)
{
    const IngestResult in =
        receive(connection1, QStringLiteral("5511987650003"), QStringLiteral("T-1"), QStringLiteral("oi"));
    ASSERT_TRUE(isOk(await(m_inbox->typing(adminA.tenantId, connection1, QStringLiteral("wa_phone"),
                                           QStringLiteral("5511987650003"), true))));
    // An unknown sender has no ticket: nothing happens.
    ASSERT_TRUE(isOk(await(m_inbox->typing(adminA.tenantId, connection1, QStringLiteral("wa_phone"),
                                           QStringLiteral("5511900000000"), true))));
    int typing = 0;
    for (const v1::Event &e : eventsOf(agentA)) {
        if (!e.has_typing())
            continue;
        ++typing;
        EXPECT_EQ(e.seq(), 0u);
        EXPECT_EQ(uuid(e.typing().ticket_id()), in.ticketId);
        EXPECT_TRUE(e.typing().typing());
    }
    EXPECT_EQ(typing, 1);
    EXPECT_TRUE(eventsOf(adminB).isEmpty());
}

} // namespace atende::test
