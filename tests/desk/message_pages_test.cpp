// messages.list: keyset pages on (created_at, id) in both directions and around a message, over 500 messages
// of which many share a created_at value (ties broken by id) — every message exactly once, in order.

#include "tests/desk/messages_fixture.h"

#include "tests/support/status_assertions.h"

#include <QSqlQuery>

namespace atende::test {

namespace v1 = atende::api::v1;
using core::Result;

namespace {

constexpr int kMessages = 500;

} // namespace

class MessagePagesTest : public MessagesTest {
protected:
    void SetUp() override
    {
        MessagesTest::SetUp();
        if (HasFatalFailure())
            return;
        ticket =
            receive(connection1, QStringLiteral("5511987651111"), QStringLiteral("P-0"), QStringLiteral("0")).ticketId;
        ASSERT_FALSE(ticket.isNull());
        // 499 more, seven at a time on one created_at (microsecond ties), straight into the table.
        const QString t = text(ticket);
        ASSERT_TRUE(m_conn->exec(
            QStringLiteral("INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, body, "
                           "status, created_at) SELECT k.tenant_id, k.id, 1, k.contact_id, k.connection_id, 'inbound', "
                           "'msg ' || g, 'received', timestamptz '2026-01-01 00:00:00+00' + (g / 7) * interval '1 "
                           "millisecond' FROM tickets k, generate_series(1, %1) g WHERE k.id = '%2'")
                .arg(kMessages - 1)
                .arg(t)));
        // The ingested one is the newest; the order the database defines is the truth.
        QSqlQuery q(m_conn->db());
        ASSERT_TRUE(
            q.exec(QStringLiteral("SELECT id FROM messages WHERE ticket_id = '%1' ORDER BY created_at, id").arg(t)));
        while (q.next())
            expected.append(q.value(0).toString().toStdString());
        ASSERT_EQ(expected.size(), kMessages);
    }

    Result<v1::ListMessagesResponse> page(const DeskPerson &who, const std::string &before, const std::string &after,
                                          const std::string &around, int limit)
    {
        v1::ListMessagesRequest req;
        req.set_ticket_id(text(ticket).toStdString());
        req.set_before(before);
        req.set_after(after);
        req.set_around(around);
        req.set_limit(quint32(limit));
        return call<v1::ListMessagesResponse>("messages.list", who, req);
    }

    static QList<std::string> ids(const v1::ListMessagesResponse &r)
    {
        QList<std::string> out;
        for (const v1::Message &m : r.messages())
            out.append(m.id());
        return out;
    }

    QUuid ticket;
    QList<std::string> expected;
};

TEST_F(MessagePagesTest, BackwardsFromTheNewestPageSeesEveryMessageOnce)
{
    QList<std::string> seen;
    Result<v1::ListMessagesResponse> r = page(agentA, {}, {}, {}, 37);
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r->has_newer());
    int pages = 1;
    while (true) {
        seen = ids(r.value()) + seen;
        if (!r->has_older())
            break;
        r = page(agentA, r->older_cursor(), {}, {}, 37);
        ASSERT_TRUE(isOk(r));
        EXPECT_TRUE(r->has_newer());
        ASSERT_LT(++pages, 100);
    }
    EXPECT_EQ(pages, (kMessages + 36) / 37);
    EXPECT_EQ(seen, expected);
}

TEST_F(MessagePagesTest, ForwardsFromTheOldestMessageSeesEveryMessageOnce)
{
    Result<v1::ListMessagesResponse> r = page(agentA, {}, {}, expected.first(), 1);
    ASSERT_TRUE(isOk(r));
    ASSERT_EQ(ids(r.value()), QList<std::string>{expected.first()});
    EXPECT_FALSE(r->has_older());
    EXPECT_TRUE(r->has_newer());
    QList<std::string> seen = ids(r.value());
    while (r->has_newer()) {
        r = page(agentA, {}, r->newer_cursor(), {}, 50);
        ASSERT_TRUE(isOk(r));
        EXPECT_TRUE(r->has_older());
        seen += ids(r.value());
        ASSERT_LE(seen.size(), kMessages);
    }
    EXPECT_EQ(seen, expected);
    // Past the end: empty, nothing newer, older still there.
    r = page(agentA, {}, r->newer_cursor(), {}, 50);
    ASSERT_TRUE(isOk(r));
    EXPECT_TRUE(r->messages().empty());
    EXPECT_FALSE(r->has_newer());
    EXPECT_TRUE(r->has_older());
}

TEST_F(MessagePagesTest, AroundAMessageCentresOnIt)
{
    const int at = 250;
    Result<v1::ListMessagesResponse> r = page(agentA, {}, {}, expected.at(at), 50);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(ids(r.value()), expected.mid(at - 25, 50));
    EXPECT_TRUE(r->has_older());
    EXPECT_TRUE(r->has_newer());
    // Continuing both ways from around's cursors joins up without gaps.
    Result<v1::ListMessagesResponse> older = page(agentA, r->older_cursor(), {}, {}, 10);
    ASSERT_TRUE(isOk(older));
    EXPECT_EQ(ids(older.value()), expected.mid(at - 35, 10));
    Result<v1::ListMessagesResponse> newer = page(agentA, {}, r->newer_cursor(), {}, 10);
    ASSERT_TRUE(isOk(newer));
    EXPECT_EQ(ids(newer.value()), expected.mid(at + 25, 10));

    // Near the ends: half before (only 3 exist), the message and the other half after it.
    r = page(agentA, {}, {}, expected.at(3), 20);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(ids(r.value()), expected.mid(0, 13));
    EXPECT_FALSE(r->has_older());
    r = page(agentA, {}, {}, expected.last(), 20);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(ids(r.value()), expected.mid(kMessages - 11, 11));
    EXPECT_FALSE(r->has_newer());
}

TEST_F(MessagePagesTest, BadRequestsAreRefused)
{
    Result<v1::ListMessagesResponse> r = page(agentA, "x", {}, {}, 10);
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("invalid_cursor"));
    Result<v1::ListMessagesResponse> first = page(agentA, {}, {}, {}, 10);
    ASSERT_TRUE(isOk(first));
    r = page(agentA, first->older_cursor(), first->newer_cursor(), {}, 10);
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("conflicting_fields"));
    EXPECT_TRUE(isError(page(agentA, {}, {}, {}, 201), core::errc::kInvalidArgument));
    // A message of another ticket is not "around" anything here.
    const auto other =
        receive(connection2, QStringLiteral("5511987652222"), QStringLiteral("P-X"), QStringLiteral("x"));
    EXPECT_TRUE(isError(page(agentA, {}, {}, text(other.messageId).toStdString(), 10), core::errc::kNotFound));
    // Another tenant cannot read the ticket at all.
    EXPECT_TRUE(isError(page(adminB, {}, {}, {}, 10), core::errc::kNotFound));
}

} // namespace atende::test
