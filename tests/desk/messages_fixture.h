#pragma once
// DeskTest plus the message desk as the server wires it: MessagesService with the message operations in the
// dispatcher's table, an Inbox, a ConnectorRegistry with a TestConnector for kind "test", an OutboundSender
// and a running JobWorker (fast back-off, polling every 50 ms). Two "test" connections of tenant A, a second
// agent and a supervisor; events the hub delivers are recorded per seeded user.

#include "server/desk/connector.h"
#include "server/desk/inbox.h"
#include "server/desk/messages_service.h"
#include "server/desk/outbound_sender.h"
#include "server/desk/test_connector.h"
#include "server/jobs/job_worker.h"
#include "tests/desk/desk_fixture.h"

#include "atende/api/v1/messages.pb.h"

#include <QHash>

namespace atende::test {

class MessagesTest : public DeskTest {
protected:
    void SetUp() override;
    void TearDown() override;

    // An inbound message from `sender` (a wa_phone) on `connection`; fails the test on error.
    server::desk::IngestResult receive(const QUuid &connection, const QString &sender, const QString &externalId,
                                       const QString &body, const QString &name = {});
    server::desk::InboundMessage inbound(const QUuid &connection, const QString &sender, const QString &externalId,
                                         const QString &body, const QString &name = {}) const;
    // As superuser: the ticket in service, assigned to `who` (and in `sector` when set).
    void assign(const QUuid &ticket, const DeskPerson &who, const QUuid &sector = {});
    void setTicketState(const QUuid &ticket, const QString &state);
    QUuid createSector(const QUuid &tenant, const QString &name);
    void addToSector(const DeskPerson &who, const QUuid &sector);
    // messages.send as `who`; fails the test on error.
    atende::api::v1::Message send(const DeskPerson &who, const QUuid &ticket, const std::string &body);
    // Waits (event loop running) until the message has `status`; returns the final status.
    QString waitForStatus(const QUuid &message, const QString &status, int timeoutMs = 10000);
    QString statusOf(const QUuid &message);
    // MessageChanged events delivered to `who` so far.
    QList<atende::api::v1::MessageChanged> messageEvents(const DeskPerson &who) const;
    QList<atende::api::v1::Event> eventsOf(const DeskPerson &who) const { return m_events.value(who.userId); }
    // Subscribes `who` to the hub with their role's permissions and sectors (call after sector changes).
    void subscribe(const DeskPerson &who);
    static QUuid uuid(const std::string &s) { return QUuid::fromString(QString::fromStdString(s)); }

    std::unique_ptr<server::desk::MessagesService> m_messages;
    std::unique_ptr<server::desk::Inbox> m_inbox;
    server::desk::ConnectorRegistry m_connectors;
    std::unique_ptr<server::desk::TestConnector> m_connector;
    std::unique_ptr<server::desk::OutboundSender> m_sender;
    std::unique_ptr<server::jobs::JobWorker> m_worker;
    DeskPerson agentA2, supervisorA;
    QUuid connection1, connection2;

private:
    QHash<QUuid, QList<atende::api::v1::Event>> m_events;
    QHash<QUuid, quint64> m_handles;
};

} // namespace atende::test
