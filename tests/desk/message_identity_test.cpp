// Inbound messages that name both WhatsApp identities of a sender (phone and LID) land on one contact
// whichever identity the desk knew first; connector system lines reach the sender's active ticket.

#include "tests/desk/messages_fixture.h"

#include "tests/support/status_assertions.h"

namespace atende::test {

using core::Result;
using server::desk::InboundMessage;
using server::desk::IngestResult;

namespace {

InboundMessage withLid(InboundMessage m, const QString &lid)
{
    m.alsoKind = QStringLiteral("wa_lid");
    m.alsoValue = lid;
    return m;
}

} // namespace

TEST_F(MessagesTest, PhoneAndLidOfOneSenderMapToOneContact)
{
    // First only the LID is known (a LID-addressed chat).
    InboundMessage first =
        inbound(connection1, QString(), QStringLiteral("L-1"), QStringLiteral("oi"), QStringLiteral("Ana"));
    first.senderKind = QStringLiteral("wa_lid");
    first.senderValue = QStringLiteral("100000000000042");
    Result<IngestResult> a = await(m_inbox->ingest(first));
    ASSERT_TRUE(isOk(a));

    // Then phone + LID: the contact known by the LID gains the phone identity, no new contact.
    Result<IngestResult> b = await(m_inbox->ingest(withLid(
        inbound(connection1, QStringLiteral("5511987650042"), QStringLiteral("P-1"), QStringLiteral("tudo bem?")),
        QStringLiteral("100000000000042"))));
    ASSERT_TRUE(isOk(b));
    EXPECT_EQ(b->contactId, a->contactId);
    EXPECT_EQ(b->ticketId, a->ticketId);

    // And the phone alone now finds the same contact.
    Result<IngestResult> c = await(m_inbox->ingest(
        inbound(connection1, QStringLiteral("5511987650042"), QStringLiteral("P-2"), QStringLiteral("alô"))));
    ASSERT_TRUE(isOk(c));
    EXPECT_EQ(c->contactId, a->contactId);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts")).toInt(), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT string_agg(kind || ':' || value, ',' ORDER BY kind) FROM "
                                    "contact_identities"))
                  .toString(),
              QStringLiteral("wa_lid:100000000000042,wa_phone:5511987650042"));

    // A new sender seen with both at once gets one contact holding both identities.
    Result<IngestResult> d = await(m_inbox->ingest(
        withLid(inbound(connection1, QStringLiteral("5511987650043"), QStringLiteral("P-3"), QStringLiteral("olá")),
                QStringLiteral("100000000000043"))));
    ASSERT_TRUE(isOk(d));
    EXPECT_NE(d->contactId, a->contactId);
    EXPECT_EQ(
        scalar(
            QStringLiteral("SELECT count(*) FROM contact_identities WHERE contact_id = '%1'").arg(text(d->contactId)))
            .toInt(),
        2);

    // A second identity of the same kind as the first is refused.
    InboundMessage bad =
        inbound(connection1, QStringLiteral("5511987650044"), QStringLiteral("P-4"), QStringLiteral("x"));
    bad.alsoKind = QStringLiteral("wa_phone");
    bad.alsoValue = QStringLiteral("5511987650045");
    EXPECT_TRUE(isError(await(m_inbox->ingest(bad)), core::errc::kInvalidArgument));
}

TEST_F(MessagesTest, SystemMessageGoesToTheActiveTicket)
{
    const IngestResult r =
        receive(connection1, QStringLiteral("5511987650050"), QStringLiteral("S-1"), QStringLiteral("oi"));
    ASSERT_TRUE(
        isOk(await(m_inbox->systemMessage(adminA.tenantId, connection1, QStringLiteral("wa_phone"),
                                          QStringLiteral("5511987650050"), QStringLiteral("security code changed")))));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages WHERE kind = 'system' AND status = 'none' AND "
                                    "ticket_id = '%1' AND body = 'security code changed'")
                         .arg(text(r.ticketId)))
                  .toInt(),
              1);
    bool announced = false;
    for (const atende::api::v1::MessageChanged &e : messageEvents(agentA))
        announced = announced || (e.message().kind() == "system" && e.created());
    EXPECT_TRUE(announced);
    // Nobody with that identity: nothing happens.
    ASSERT_TRUE(isOk(await(m_inbox->systemMessage(adminA.tenantId, connection1, QStringLiteral("wa_phone"),
                                                  QStringLiteral("5511987650099"), QStringLiteral("x")))));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages WHERE kind = 'system'")).toInt(), 1);
}

} // namespace atende::test
