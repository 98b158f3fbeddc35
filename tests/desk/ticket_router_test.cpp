// routeInbound() and touchTicketForMessage(): which ticket a customer message belongs to (new, existing,
// reopened inside the sector's window, new after it), also under heavy concurrency.

#include "server/db/db_executor.h"
#include "server/desk/ticket_router.h"
#include "tests/desk/ticket_fixture.h"
#include "tests/support/status_assertions.h"

#include <QFuture>
#include <QSet>

namespace atende::test {

using core::Result;
using server::desk::RoutedTicket;
namespace v1 = atende::api::v1;

namespace {

std::string idOf(const RoutedTicket &r)
{
    return r.ticket.id.toString(QUuid::WithoutBraces).toStdString();
}

} // namespace

TEST_F(TicketTest, FirstMessageOfANewContactCreatesAWaitingTicketWithCreatedAndQueuedEvents)
{
    const QUuid contact = createContactRow(adminA.tenantId, QStringLiteral("Maria"));
    Result<RoutedTicket> r = route(contact, sectorX);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->how, RoutedTicket::How::Created);
    EXPECT_EQ(r->ticket.state, QStringLiteral("waiting"));
    EXPECT_EQ(r->ticket.cycle, 1);
    EXPECT_EQ(r->ticket.sectorId, sectorX);
    EXPECT_TRUE(r->ticket.assigneeId.isNull());
    EXPECT_FALSE(r->ticket.agentInitiated);
    ASSERT_TRUE(r->ticket.queuedAt.isValid());
    EXPECT_EQ(r->ticket.queuedAt, r->ticket.cycleStartedAt);
    EXPECT_EQ(eventKinds(idOf(r.value())), (QStringList{QStringLiteral("created"), QStringLiteral("queued")}));
    // Both events carry the ticket's queue time, so metrics read the same instant as the row.
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                                    "WHERE t.id = '%1' AND e.at = t.queued_at AND e.to_sector_id = t.sector_id "
                                    "AND e.actor_user_id IS NULL AND e.cycle = 1")
                         .arg(text(r->ticket.id)))
                  .toInt(),
              2);

    // The next message finds the same ticket and changes nothing.
    Result<RoutedTicket> again = route(contact, sectorY);
    ASSERT_TRUE(isOk(again));
    EXPECT_EQ(again->how, RoutedTicket::How::Existing);
    EXPECT_EQ(again->ticket.id, r->ticket.id);
    EXPECT_EQ(again->ticket.sectorId, sectorX);
    EXPECT_EQ(eventCount(idOf(r.value())), 2);
}

TEST_F(TicketTest, FiftyConcurrentFirstMessagesOfOneContactCreateExactlyOneTicket)
{
    // Eight worker connections, so the calls really run side by side in PostgreSQL.
    server::db::DbExecutor executor(m_config, 8);
    ASSERT_TRUE(executor.start().ok());
    const QUuid tenant = adminA.tenantId;
    const QUuid contact = createContactRow(tenant, QStringLiteral("Concorrente"));
    const QUuid connection = connectionA;
    const QUuid sector = sectorX;
    QList<QFuture<Result<RoutedTicket>>> futures;
    for (int i = 0; i < 50; ++i)
        futures.append(executor.runTenant(tenant, [tenant, contact, connection, sector](QSqlDatabase &db) {
            server::accounts::Outbox outbox;
            return server::desk::routeInbound(db, tenant, contact, connection, sector, outbox);
        }));
    QSet<QUuid> ids;
    int created = 0;
    for (QFuture<Result<RoutedTicket>> &f : futures) {
        Result<RoutedTicket> r = f.result();
        ASSERT_TRUE(isOk(r));
        ids.insert(r->ticket.id);
        created += r->how == RoutedTicket::How::Created ? 1 : 0;
    }
    executor.stop();
    EXPECT_EQ(ids.size(), 1);
    EXPECT_EQ(created, 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM tickets WHERE contact_id = '%1'").arg(text(contact))).toInt(),
              1);
    EXPECT_EQ(eventKinds(text(*ids.begin()).toStdString()),
              (QStringList{QStringLiteral("created"), QStringLiteral("queued")}));
}

TEST_F(TicketTest, MessageInsideTheReopenWindowReopensTheSameTicketAsANewCycle)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    ASSERT_TRUE(isOk(simple("tickets.close", agentA, t.id())));
    const QUuid contact = QUuid::fromString(QString::fromStdString(t.contact_id()));

    Result<RoutedTicket> r = route(contact, sectorY);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->how, RoutedTicket::How::Reopened);
    EXPECT_EQ(idOf(r.value()), t.id());
    EXPECT_EQ(r->ticket.cycle, 2);
    EXPECT_EQ(r->ticket.state, QStringLiteral("waiting"));
    EXPECT_EQ(r->ticket.sectorId, sectorX); // reopens where it was closed
    EXPECT_TRUE(r->ticket.assigneeId.isNull());
    EXPECT_FALSE(r->ticket.acceptedAt.isValid());
    EXPECT_FALSE(r->ticket.closedAt.isValid());
    EXPECT_EQ(r->ticket.queuedAt, r->ticket.cycleStartedAt);
    EXPECT_GT(r->ticket.cycleStartedAt,
              QDateTime::fromString(QString::fromStdString(t.cycle_started_at()), Qt::ISODateWithMs));
    EXPECT_EQ(eventKinds(t.id()),
              (QStringList{QStringLiteral("created"), QStringLiteral("queued"), QStringLiteral("accepted"),
                           QStringLiteral("closed"), QStringLiteral("reopened"), QStringLiteral("queued")}));
    // The reopen names who had the ticket and belongs to cycle 2.
    EXPECT_EQ(scalar(QStringLiteral("SELECT from_user_id::text || ' ' || cycle || ' ' || from_state || ' ' || to_state "
                                    "FROM ticket_events WHERE ticket_id = '%1' AND kind = 'reopened'")
                         .arg(QString::fromStdString(t.id())))
                  .toString(),
              text(agentA.userId) + QStringLiteral(" 2 closed waiting"));
}

TEST_F(TicketTest, MessageAfterTheReopenWindowStartsANewTicket)
{
    const QUuid shortWindow = createSector(QStringLiteral("Rapido"), 30);
    addToSector(agentA, shortWindow);
    const v1::Ticket t = newWaitingTicket(shortWindow);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    ASSERT_TRUE(isOk(simple("tickets.close", agentA, t.id())));
    // 31 minutes ago: just outside the sector's 30-minute window.
    ASSERT_TRUE(
        m_conn->exec(QStringLiteral("UPDATE tickets SET closed_at = now() - interval '31 minutes' WHERE id = '%1'")
                         .arg(QString::fromStdString(t.id()))));
    const QUuid contact = QUuid::fromString(QString::fromStdString(t.contact_id()));

    Result<RoutedTicket> r = route(contact, sectorY);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->how, RoutedTicket::How::Created);
    EXPECT_NE(idOf(r.value()), t.id());
    EXPECT_EQ(r->ticket.cycle, 1);
    EXPECT_EQ(r->ticket.sectorId, sectorY); // a new ticket goes where routing says
    EXPECT_EQ(column(t.id(), QStringLiteral("state")), QStringLiteral("closed"));
    EXPECT_EQ(column(t.id(), QStringLiteral("cycle")), QStringLiteral("1"));

    // The newer ticket (sector Y, default window of 120 minutes) closed 119 minutes ago: it reopens; the old
    // one (closed a day ago, before the newer one began) stays closed.
    ASSERT_TRUE(m_conn->exec(QStringLiteral("UPDATE tickets SET closed_at = now() - interval '1 day' WHERE id = '%1'")
                                 .arg(QString::fromStdString(t.id()))));
    ASSERT_TRUE(isOk(simple("tickets.close", supervisorA, idOf(r.value()))));
    ASSERT_TRUE(
        m_conn->exec(QStringLiteral("UPDATE tickets SET closed_at = now() - interval '119 minutes' WHERE id = '%1'")
                         .arg(text(r->ticket.id))));
    Result<RoutedTicket> again = route(contact, sectorX);
    ASSERT_TRUE(isOk(again));
    EXPECT_EQ(again->how, RoutedTicket::How::Reopened);
    EXPECT_EQ(again->ticket.id, r->ticket.id);
    EXPECT_EQ(again->ticket.cycle, 2);
    EXPECT_EQ(column(t.id(), QStringLiteral("state")), QStringLiteral("closed"));
}

TEST_F(TicketTest, ConcurrentMessagesAfterCloseReopenTheTicketOnce)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    ASSERT_TRUE(isOk(simple("tickets.accept", agentA, t.id())));
    ASSERT_TRUE(isOk(simple("tickets.close", agentA, t.id())));
    server::db::DbExecutor executor(m_config, 8);
    ASSERT_TRUE(executor.start().ok());
    const QUuid tenant = adminA.tenantId;
    const QUuid contact = QUuid::fromString(QString::fromStdString(t.contact_id()));
    const QUuid connection = connectionA;
    QList<QFuture<Result<RoutedTicket>>> futures;
    for (int i = 0; i < 30; ++i)
        futures.append(executor.runTenant(tenant, [tenant, contact, connection](QSqlDatabase &db) {
            server::accounts::Outbox outbox;
            return server::desk::routeInbound(db, tenant, contact, connection, QUuid(), outbox);
        }));
    int reopened = 0;
    for (QFuture<Result<RoutedTicket>> &f : futures) {
        Result<RoutedTicket> r = f.result();
        ASSERT_TRUE(isOk(r));
        EXPECT_EQ(idOf(r.value()), t.id());
        reopened += r->how == RoutedTicket::How::Reopened ? 1 : 0;
    }
    executor.stop();
    EXPECT_EQ(reopened, 1);
    EXPECT_EQ(column(t.id(), QStringLiteral("cycle")), QStringLiteral("2"));
    EXPECT_EQ(eventKinds(t.id()).count(QStringLiteral("reopened")), 1);
}

TEST_F(TicketTest, TouchForMessageRefreshesTheListFields)
{
    const v1::Ticket t = newWaitingTicket(sectorX);
    const QUuid tenant = adminA.tenantId;
    const QUuid id = QUuid::fromString(QString::fromStdString(t.id()));
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(5);
    const QString longText = QString(130, QLatin1Char('a'));
    core::Status s = m_db->runTenant(tenant,
                                     [=](QSqlDatabase &db) {
                                         return server::desk::touchTicketForMessage(db, tenant, id, at, longText, true);
                                     })
                         .result();
    ASSERT_TRUE(isOk(s));
    EXPECT_EQ(column(t.id(), QStringLiteral("unread_count")), QStringLiteral("1"));
    EXPECT_EQ(column(t.id(), QStringLiteral("length(last_message_preview)")), QStringLiteral("120"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT last_message_at = last_activity_at AND last_message_at = '%1'::timestamptz "
                                    "FROM tickets WHERE id = '%2'")
                         .arg(at.toString(Qt::ISODateWithMs), text(id)))
                  .toBool(),
              true);
    s = m_db->runTenant(tenant,
                        [=](QSqlDatabase &db) {
                            return server::desk::touchTicketForMessage(db, tenant, id, at, QStringLiteral("ok"), false);
                        })
            .result();
    ASSERT_TRUE(isOk(s));
    EXPECT_EQ(column(t.id(), QStringLiteral("unread_count")), QStringLiteral("1")); // outbound: not unread
    EXPECT_EQ(column(t.id(), QStringLiteral("last_message_preview")), QStringLiteral("ok"));
    // Another tenant's transaction does not see the ticket.
    const QUuid other = adminB.tenantId;
    s = m_db->runTenant(other,
                        [=](QSqlDatabase &db) {
                            return server::desk::touchTicketForMessage(db, other, id, at, QStringLiteral("x"), true);
                        })
            .result();
    EXPECT_TRUE(isError(s, "not_found"));
}

} // namespace atende::test
