#include "tests/desk/messages_fixture.h"

#include "server/desk/typing_operation.h"

#include "server/api/permissions.h"
#include "server/desk/message_operations.h"
#include "tests/support/status_assertions.h"

#include <QSqlQuery>

namespace atende::test {

namespace v1 = atende::api::v1;
using core::Result;
using server::desk::InboundMessage;
using server::desk::IngestResult;

void MessagesTest::SetUp()
{
    DeskTest::SetUp();
    if (HasFatalFailure())
        return;
    agentA2 = seedUser(adminA.tenantId, QStringLiteral("agent"), QStringLiteral("agent2@acme.example"));
    supervisorA = seedUser(adminA.tenantId, QStringLiteral("supervisor"), QStringLiteral("super@acme.example"));

    m_messages = std::make_unique<server::desk::MessagesService>(*m_db, m_hub.get());
    server::desk::addMessageOperations(m_table, *m_messages);
    m_inbox = std::make_unique<server::desk::Inbox>(*m_db, m_hub.get());
    m_connector = std::make_unique<server::desk::TestConnector>(m_inbox.get());
    m_connectors.registerKind(QStringLiteral("test"), m_connector.get());
    server::desk::addTypingOperation(m_table, *m_messages, m_connectors);
    m_sender = std::make_unique<server::desk::OutboundSender>(*m_db, m_hub.get(), m_connectors);
    server::jobs::JobWorker::Options options;
    options.pollIntervalMs = 50;
    options.retry.base = std::chrono::milliseconds(5);
    options.retry.cap = std::chrono::milliseconds(40);
    m_worker = std::make_unique<server::jobs::JobWorker>(*m_db, options);
    m_sender->registerHandlers(*m_worker);
    ASSERT_TRUE(m_worker->start().ok());

    for (QUuid *id : {&connection1, &connection2}) {
        v1::CreateConnectionRequest req;
        req.set_name(id == &connection1 ? "Loja" : "Suporte");
        req.set_kind("test");
        Result<v1::Connection> c = call<v1::Connection>("connections.create", adminA, req);
        ASSERT_TRUE(isOk(c));
        *id = uuid(c->id());
    }
    for (const DeskPerson &p : {adminA, agentA, agentA2, supervisorA, adminB})
        subscribe(p);
}

void MessagesTest::TearDown()
{
    for (quint64 h : std::as_const(m_handles))
        m_hub->remove(h);
    if (m_worker)
        (void)await(m_worker->stop(10000));
    m_worker.reset();
    m_sender.reset();
    m_connector.reset();
    m_inbox.reset();
    m_messages.reset();
    DeskTest::TearDown();
}

void MessagesTest::subscribe(const DeskPerson &who)
{
    if (m_handles.contains(who.userId))
        m_hub->remove(m_handles.take(who.userId));
    server::api::Subscriber s;
    s.tenantId = who.tenantId;
    s.userId = who.userId;
    s.permissions = server::api::perm::rolePermissions(who.role);
    QSqlQuery q(m_conn->db());
    q.prepare(QStringLiteral("SELECT sector_id FROM user_sectors WHERE user_id = ?::uuid"));
    q.addBindValue(text(who.userId));
    EXPECT_TRUE(q.exec());
    while (q.next())
        s.sectorIds.insert(QUuid::fromString(q.value(0).toString()));
    const QUuid user = who.userId;
    s.deliver = [this, user](const v1::Event &e) {
        m_events[user].append(e);
    };
    m_handles.insert(who.userId, m_hub->add(std::move(s)));
}

InboundMessage MessagesTest::inbound(const QUuid &connection, const QString &sender, const QString &externalId,
                                     const QString &body, const QString &name) const
{
    InboundMessage m;
    m.tenantId = adminA.tenantId;
    m.connectionId = connection;
    m.senderKind = QStringLiteral("wa_phone");
    m.senderValue = sender;
    m.displayName = name;
    m.externalId = externalId;
    m.body = body;
    m.timestamp = QDateTime::currentDateTimeUtc().addSecs(-2);
    return m;
}

IngestResult MessagesTest::receive(const QUuid &connection, const QString &sender, const QString &externalId,
                                   const QString &body, const QString &name)
{
    Result<IngestResult> r = await(m_inbox->ingest(inbound(connection, sender, externalId, body, name)));
    EXPECT_TRUE(isOk(r));
    return r.ok() ? r.value() : IngestResult();
}

void MessagesTest::assign(const QUuid &ticket, const DeskPerson &who, const QUuid &sector)
{
    m_conn->exec(
        QStringLiteral("UPDATE tickets SET state = 'in_service', assignee_id = '%1', accepted_at = now(), "
                       "sector_id = %2 WHERE id = '%3'")
            .arg(text(who.userId),
                 sector.isNull() ? QStringLiteral("sector_id") : QLatin1Char('\'') + text(sector) + QLatin1Char('\''),
                 text(ticket)));
}

void MessagesTest::setTicketState(const QUuid &ticket, const QString &state)
{
    const bool closed = state == QLatin1String("closed");
    const bool worked = state == QLatin1String("in_service") || state == QLatin1String("on_hold");
    m_conn->exec(QStringLiteral("UPDATE tickets SET state = '%1', closed_at = %2, assignee_id = %3 WHERE id = '%4'")
                     .arg(state, closed ? QStringLiteral("now()") : QStringLiteral("NULL"),
                          worked ? QStringLiteral("assignee_id") : QStringLiteral("NULL"), text(ticket)));
}

QUuid MessagesTest::createSector(const QUuid &tenant, const QString &name)
{
    return QUuid::fromString(
        scalar(QStringLiteral("INSERT INTO sectors (tenant_id, name) VALUES ('%1', '%2') RETURNING id")
                   .arg(text(tenant), name))
            .toString());
}

void MessagesTest::addToSector(const DeskPerson &who, const QUuid &sector)
{
    m_conn->exec(QStringLiteral("INSERT INTO user_sectors (tenant_id, user_id, sector_id) VALUES ('%1', '%2', '%3')")
                     .arg(text(who.tenantId), text(who.userId), text(sector)));
    subscribe(who);
}

v1::Message MessagesTest::send(const DeskPerson &who, const QUuid &ticket, const std::string &body)
{
    v1::SendMessageRequest req;
    req.set_ticket_id(text(ticket).toStdString());
    req.set_body(body);
    Result<v1::Message> r = call<v1::Message>("messages.send", who, req);
    EXPECT_TRUE(isOk(r));
    return r.ok() ? r.value() : v1::Message();
}

QString MessagesTest::statusOf(const QUuid &message)
{
    return scalar(QStringLiteral("SELECT status FROM messages WHERE id = '%1'").arg(text(message))).toString();
}

QString MessagesTest::waitForStatus(const QUuid &message, const QString &status, int timeoutMs)
{
    QString now;
    (void)QTest::qWaitFor(
        [&] {
            now = statusOf(message);
            return now == status;
        },
        timeoutMs);
    return now;
}

QList<v1::MessageChanged> MessagesTest::messageEvents(const DeskPerson &who) const
{
    QList<v1::MessageChanged> out;
    for (const v1::Event &e : m_events.value(who.userId))
        if (e.has_message_changed())
            out.append(e.message_changed());
    return out;
}

} // namespace atende::test
