#pragma once
// DeskTest plus tickets: a TicketsService with the tickets.* operations in the same table, two sectors of
// tenant A (X: agentA, Y: agentY), a supervisor, a connection, and helpers that route customer messages
// through routeInbound() the way ingest does and inspect the tables with the superuser connection.

#include "server/desk/ticket_router.h"
#include "server/desk/tickets_service.h"
#include "tests/desk/desk_fixture.h"

#include "atende/api/v1/tickets.pb.h"

namespace atende::test {

struct HubInbox {
    QList<atende::api::v1::Event> events;
    // The TicketChanged events of `ticketId`.
    QList<atende::api::v1::TicketChanged> ticketChanges(const QString &ticketId) const;
};

class TicketTest : public DeskTest {
protected:
    void SetUp() override;
    void TearDown() override;

    // Superuser inserts (tenant A unless told otherwise).
    QUuid createSector(const QString &name, int reopenWindowMinutes = 120);
    void addToSector(const DeskPerson &who, const QUuid &sectorId);
    QUuid createConnection(const QUuid &tenantId, const QString &name);
    QUuid createContactRow(const QUuid &tenantId, const QString &name);

    // routeInbound() for tenant A in its own transaction; its events are published to the hub after COMMIT.
    core::Result<server::desk::RoutedTicket> route(const QUuid &contactId, const QUuid &sectorId,
                                                   const QUuid &connectionId = {});
    // A new contact's first message in `sectorId`: a waiting ticket. Fails the test on error.
    atende::api::v1::Ticket newWaitingTicket(const QUuid &sectorId, const QString &contactName = {});

    // Calls a tickets.* operation with {id} and optional extra fields set on the request.
    template <typename Req> core::Result<atende::api::v1::Ticket> act(const char *op, const DeskPerson &who, Req req)
    {
        return call<atende::api::v1::Ticket>(op, who, req);
    }
    core::Result<atende::api::v1::Ticket> simple(const char *op, const DeskPerson &who, const std::string &ticketId);
    // The dispatcher call of an operation, started but not awaited (for truly concurrent calls).
    QCoro::Task<core::Result<server::api::MessagePtr>> start(const QString &name, const DeskPerson &who,
                                                             const google::protobuf::Message &request);

    int eventCount(const std::string &ticketId);
    QStringList eventKinds(const std::string &ticketId);
    QString column(const std::string &ticketId, const QString &column);
    // A subscriber of tenant A for `who` (role permissions, sectors as given) collecting into `inbox`.
    void subscribe(const DeskPerson &who, const QSet<QUuid> &sectors, HubInbox &inbox);

    std::unique_ptr<server::desk::TicketsService> m_tickets;
    DeskPerson supervisorA, agentY;
    QUuid sectorX, sectorY, connectionA;
    int m_contactCounter = 0;
};

} // namespace atende::test
