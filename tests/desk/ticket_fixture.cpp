#include "tests/desk/ticket_fixture.h"

#include "server/accounts/change_log.h"
#include "server/api/permissions.h"
#include "server/desk/tickets_operations.h"
#include "tests/support/status_assertions.h"

#include <QSqlQuery>

namespace atende::test {

using core::Result;
namespace v1 = atende::api::v1;

QList<v1::TicketChanged> HubInbox::ticketChanges(const QString &ticketId) const
{
    QList<v1::TicketChanged> out;
    for (const v1::Event &e : events)
        if (e.has_ticket_changed() && QString::fromStdString(e.ticket_changed().ticket().id()) == ticketId)
            out.append(e.ticket_changed());
    return out;
}

void TicketTest::SetUp()
{
    DeskTest::SetUp();
    if (HasFatalFailure())
        return;
    m_tickets = std::make_unique<server::desk::TicketsService>(*m_db, m_hub.get());
    server::desk::addTicketOperations(m_table, *m_tickets);
    supervisorA = seedUser(adminA.tenantId, QStringLiteral("supervisor"), QStringLiteral("supervisor@acme.example"));
    agentY = seedUser(adminA.tenantId, QStringLiteral("agent"), QStringLiteral("agent.y@acme.example"));
    sectorX = createSector(QStringLiteral("Vendas"));
    sectorY = createSector(QStringLiteral("Suporte"));
    addToSector(agentA, sectorX);
    addToSector(agentY, sectorY);
    connectionA = createConnection(adminA.tenantId, QStringLiteral("Acme WhatsApp"));
}

void TicketTest::TearDown()
{
    m_tickets.reset();
    DeskTest::TearDown();
}

QUuid TicketTest::createSector(const QString &name, int reopenWindowMinutes)
{
    return QUuid::fromString(scalar(QStringLiteral("INSERT INTO sectors (tenant_id, name, reopen_window_minutes) "
                                                   "VALUES ('%1', '%2', %3) RETURNING id")
                                        .arg(text(adminA.tenantId), name)
                                        .arg(reopenWindowMinutes))
                                 .toString());
}

void TicketTest::addToSector(const DeskPerson &who, const QUuid &sectorId)
{
    ASSERT_TRUE(m_conn->exec(QStringLiteral("INSERT INTO user_sectors (tenant_id, user_id, sector_id) "
                                            "VALUES ('%1', '%2', '%3')")
                                 .arg(text(who.tenantId), text(who.userId), text(sectorId))));
}

QUuid TicketTest::createConnection(const QUuid &tenantId, const QString &name)
{
    return QUuid::fromString(
        scalar(
            QStringLiteral("INSERT INTO connections (tenant_id, name, kind) VALUES ('%1', '%2', 'test') RETURNING id")
                .arg(text(tenantId), name))
            .toString());
}

QUuid TicketTest::createContactRow(const QUuid &tenantId, const QString &name)
{
    return QUuid::fromString(
        scalar(QStringLiteral("INSERT INTO contacts (tenant_id, name) VALUES ('%1', '%2') RETURNING id")
                   .arg(text(tenantId), name))
            .toString());
}

Result<server::desk::RoutedTicket> TicketTest::route(const QUuid &contactId, const QUuid &sectorId,
                                                     const QUuid &connectionId)
{
    const QUuid tenant = adminA.tenantId;
    const QUuid connection = connectionId.isNull() ? connectionA : connectionId;
    server::accounts::Outbox outbox;
    Result<server::desk::RoutedTicket> r =
        m_db->runTenant(tenant,
                        [&](QSqlDatabase &db) {
                            return server::desk::routeInbound(db, tenant, contactId, connection, sectorId, outbox);
                        })
            .result();
    if (r.ok())
        for (const server::accounts::PendingEvent &e : outbox.events)
            m_hub->publish(e.audience, e.event);
    return r;
}

v1::Ticket TicketTest::newWaitingTicket(const QUuid &sectorId, const QString &contactName)
{
    const QUuid contact = createContactRow(
        adminA.tenantId, contactName.isEmpty() ? QStringLiteral("Cliente %1").arg(++m_contactCounter) : contactName);
    Result<server::desk::RoutedTicket> r = route(contact, sectorId);
    EXPECT_TRUE(isOk(r));
    if (!r.ok())
        return {};
    v1::GetTicketRequest req;
    req.set_id(text(r->ticket.id).toStdString());
    Result<v1::Ticket> t = call<v1::Ticket>("tickets.get", supervisorA, req);
    EXPECT_TRUE(isOk(t));
    return t.ok() ? t.value() : v1::Ticket();
}

Result<v1::Ticket> TicketTest::simple(const char *op, const DeskPerson &who, const std::string &ticketId)
{
    v1::AcceptTicketRequest req; // every {id}-only request has the same wire shape: field 1 = id
    req.set_id(ticketId);
    const server::api::Operation *o = m_table.find(QString::fromLatin1(op));
    if (!o)
        return core::Error::make(core::errc::kNotFound, QStringLiteral("no operation"));
    server::api::MessagePtr typed = o->newRequest();
    typed->ParseFromString(req.SerializeAsString());
    return call<v1::Ticket>(op, who, *typed);
}

QCoro::Task<Result<server::api::MessagePtr>> TicketTest::start(const QString &name, const DeskPerson &who,
                                                               const google::protobuf::Message &request)
{
    const server::api::Operation *op = m_table.find(name);
    server::api::MessagePtr req = op->newRequest();
    req->CopyFrom(request);
    server::api::CallContext ctx;
    ctx.transport = server::api::Transport::InProcess;
    ctx.peer = QHostAddress(QStringLiteral("203.0.113.7"));
    ctx.bearerToken = text(who.userId);
    return m_dispatcher->call(op, ctx, std::move(req));
}

int TicketTest::eventCount(const std::string &ticketId)
{
    return scalar(QStringLiteral("SELECT count(*) FROM ticket_events WHERE ticket_id = '%1'")
                      .arg(QString::fromStdString(ticketId)))
        .toInt();
}

QStringList TicketTest::eventKinds(const std::string &ticketId)
{
    QStringList out;
    QSqlQuery q(m_conn->db());
    EXPECT_TRUE(q.exec(QStringLiteral("SELECT kind FROM ticket_events WHERE ticket_id = '%1' ORDER BY id")
                           .arg(QString::fromStdString(ticketId))));
    while (q.next())
        out << q.value(0).toString();
    return out;
}

QString TicketTest::column(const std::string &ticketId, const QString &column)
{
    return scalar(QStringLiteral("SELECT coalesce(%1::text, '') FROM tickets WHERE id = '%2'")
                      .arg(column, QString::fromStdString(ticketId)))
        .toString();
}

void TicketTest::subscribe(const DeskPerson &who, const QSet<QUuid> &sectors, HubInbox &inbox)
{
    server::api::Subscriber s;
    s.tenantId = who.tenantId;
    s.userId = who.userId;
    s.permissions = server::api::perm::rolePermissions(who.role);
    s.sectorIds = sectors;
    s.deliver = [&inbox](const v1::Event &e) {
        inbox.events.append(e);
    };
    m_hub->add(std::move(s));
}

} // namespace atende::test
