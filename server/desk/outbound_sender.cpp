#include "server/desk/outbound_sender.h"

#include "server/accounts/change_log.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/desk/connection_repository.h"
#include "server/desk/connector_peer.h"
#include "server/desk/message_events.h"
#include "server/desk/message_repository.h"
#include "server/desk/message_status.h"
#include "server/jobs/job_worker.h"

#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcDesk)

namespace atende::server::desk {

using accounts::Committed;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

// What a job needs to hand to the connector, read in one transaction.
struct Plan {
    bool skip = false; // nothing (more) to do
    QString connectionKind;
    MessageRecord message;
    ConnectorPeer peer;
    QString quotedExternalId;
    bool sendReadReceipts = true;
};

Result<QUuid> messageIdOf(const jobs::Job &job)
{
    const QUuid id = QUuid::fromString(job.payload.value(QStringLiteral("message_id")).toString());
    if (id.isNull())
        return Error::make(errc::kInvalidArgument, QStringLiteral("the job names no message"));
    return id;
}

// The message, its connection and the contact's identities (those seen on this connection first).
Result<Plan> planFor(QSqlDatabase &db, const QUuid &tenantId, const QUuid &messageId, const QString &kind)
{
    Plan plan;
    Result<MessageRecord> m = MessageRepository::find(db, tenantId, messageId);
    if (!m.ok())
        return m.error();
    plan.message = m.value();
    if (plan.message.kind != kind)
        return Error::make(errc::kInvalidArgument, QStringLiteral("the job's message has the wrong kind"));
    // A job delivered again after it succeeded (or a message failed or retried meanwhile) sends nothing.
    if (kind == QLatin1String("outbound") &&
        (plan.message.status != QLatin1String("pending") || !plan.message.externalId.isEmpty())) {
        plan.skip = true;
        return plan;
    }
    Result<ConnectionRecord> connection = ConnectionRepository::find(db, tenantId, plan.message.connectionId);
    if (!connection.ok())
        return connection.error().code == QLatin1String(errc::kNotFound)
                   ? Error::make(errc::kNotFound, QStringLiteral("connection_deleted"))
                   : connection.error();
    plan.connectionKind = connection->kind;
    plan.sendReadReceipts = connection->sendReadReceipts;
    Result<ConnectorPeer> peer = connectorPeer(db, tenantId, plan.message.connectionId, plan.message.contactId);
    if (!peer.ok())
        return peer.error();
    plan.peer = peer.value();
    if (!plan.message.quoted.id.isNull()) {
        Result<MessageRecord> quoted = MessageRepository::find(db, tenantId, plan.message.quoted.id);
        if (quoted.ok())
            plan.quotedExternalId = quoted->externalId;
    }
    return plan;
}

// Stores a status change of the message and queues its event.
template <typename F> Result<Committed<bool>> changeStatus(QSqlDatabase &db, const QUuid &tenantId, F change)
{
    Committed<bool> out{false, {}};
    MaybeMessage m = change(db);
    if (!m.ok())
        return m.error();
    if (!m->has_value())
        return out;
    Result<TicketRef> t = MessageRepository::ticket(db, tenantId, m->value().ticketId);
    if (!t.ok())
        return t.error();
    if (Status s = queueMessageChanged(db, out.outbox, tenantId, t.value(), m->value(), false); !s.ok())
        return s.error();
    out.value = true;
    return out;
}

} // namespace

OutboundSender::OutboundSender(db::DbExecutor &db, api::EventHub *hub, ConnectorRegistry &connectors, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
    , m_connectors(connectors)
{}

void OutboundSender::registerHandlers(jobs::JobWorker &worker)
{
    QPointer<OutboundSender> self(this);
    worker.registerHandler(QStringLiteral("message.send"), [self](jobs::Job job) -> QCoro::Task<Status> {
        if (!self)
            co_return Error::make(errc::kShuttingDown, QStringLiteral("the sender is gone"));
        auto task = self->sendJob(std::move(job));
        Status s = co_await task;
        co_return s;
    });
    worker.registerHandler(QStringLiteral("message.read"), [self](jobs::Job job) -> QCoro::Task<Status> {
        if (!self)
            co_return Error::make(errc::kShuttingDown, QStringLiteral("the sender is gone"));
        auto task = self->readJob(std::move(job));
        Status s = co_await task;
        co_return s;
    });
}

QCoro::Task<Status> OutboundSender::sendJob(jobs::Job job)
{
    QPointer<OutboundSender> self(this);
    Result<QUuid> id = messageIdOf(job);
    if (!id.ok())
        co_return id.error();
    const QUuid tenantId = job.tenantId;
    const QUuid messageId = id.value();
    QFuture<Result<Plan>> pf = m_db.runTenant(tenantId, [tenantId, messageId](QSqlDatabase &db) {
        return planFor(db, tenantId, messageId, QStringLiteral("outbound"));
    });
    co_await db::Finished(pf);
    Result<Plan> plan = pf.result();
    if (!self)
        co_return Error::make(errc::kShuttingDown, QStringLiteral("the sender is gone"));
    if (!plan.ok()) {
        if (plan.error().message == QLatin1String("connection_deleted")) {
            auto fTask = fail(tenantId, messageId, QStringLiteral("connection_deleted"));
            (void)co_await fTask;
        }
        co_return plan.error();
    }
    if (plan->skip)
        co_return Status();

    Connector *connector = m_connectors.connectorFor(plan->message.connectionId, plan->connectionKind);
    ConnectorResult sent = ConnectorResult::failure(QStringLiteral("no_connector"), true);
    if (connector) {
        OutboundMessage out{plan->peer, messageId, plan->message.ticketId, plan->message.body, plan->quotedExternalId};
        auto sTask = connector->send(std::move(out));
        sent = co_await sTask;
        if (!self)
            co_return Error::make(errc::kShuttingDown, QStringLiteral("the sender is gone"));
    }
    if (sent.ok) {
        const QString externalId = sent.externalId;
        QFuture<Result<Committed<bool>>> f =
            m_db.runTenant(tenantId, [tenantId, messageId, externalId](QSqlDatabase &db) {
                return changeStatus(
                    db, tenantId, [&](QSqlDatabase &d) { return markMessageSent(d, tenantId, messageId, externalId); });
            });
        co_await db::Finished(f);
        Result<Committed<bool>> r = f.result();
        if (!self)
            co_return Error::make(errc::kShuttingDown, QStringLiteral("the sender is gone"));
        if (!r.ok())
            co_return r.error(); // retried: the next attempt finds the message still pending
        publishOutbox(m_hub, r->outbox);
        co_return Status();
    }
    const QString reason = sent.reason.isEmpty() ? QStringLiteral("send_failed") : sent.reason.left(120);
    const bool lastAttempt = job.attempts >= job.maxAttempts;
    if (sent.retryable && !lastAttempt)
        co_return Error::make(errc::kUnavailable, QStringLiteral("connector: ") + reason);
    auto fTask = fail(tenantId, messageId, reason);
    (void)co_await fTask;
    // Permanent: a code the job queue does not retry; exhausted: the queue sees no attempts left.
    co_return Error::make(sent.retryable ? errc::kUnavailable : errc::kInvalidArgument,
                          QStringLiteral("connector: ") + reason);
}

QCoro::Task<Status> OutboundSender::fail(QUuid tenantId, QUuid messageId, QString reason)
{
    QPointer<OutboundSender> self(this);
    QFuture<Result<Committed<bool>>> f = m_db.runTenant(tenantId, [tenantId, messageId, reason](QSqlDatabase &db) {
        return changeStatus(db, tenantId,
                            [&](QSqlDatabase &d) { return markMessageFailed(d, tenantId, messageId, reason); });
    });
    co_await db::Finished(f);
    Result<Committed<bool>> r = f.result();
    if (!self)
        co_return Status();
    if (!r.ok()) {
        qCWarning(lcDesk) << "marking message" << messageId << "failed did not work:" << r.error().message;
        co_return r.error();
    }
    publishOutbox(m_hub, r->outbox);
    co_return Status();
}

QCoro::Task<Status> OutboundSender::readJob(jobs::Job job)
{
    QPointer<OutboundSender> self(this);
    Result<QUuid> id = messageIdOf(job);
    if (!id.ok())
        co_return id.error();
    const QUuid tenantId = job.tenantId;
    const QUuid messageId = id.value();
    QFuture<Result<Plan>> pf = m_db.runTenant(tenantId, [tenantId, messageId](QSqlDatabase &db) {
        return planFor(db, tenantId, messageId, QStringLiteral("inbound"));
    });
    co_await db::Finished(pf);
    Result<Plan> plan = pf.result();
    if (!self)
        co_return Error::make(errc::kShuttingDown, QStringLiteral("the sender is gone"));
    if (!plan.ok())
        co_return plan.error();
    if (!plan->sendReadReceipts || plan->message.externalId.isEmpty())
        co_return Status();
    Connector *connector = m_connectors.connectorFor(plan->message.connectionId, plan->connectionKind);
    if (!connector)
        co_return Error::make(errc::kUnavailable, QStringLiteral("connector: no_connector"));
    auto rTask = connector->markRead(ReadMark{plan->peer, {plan->message.externalId}});
    ConnectorResult r = co_await rTask;
    if (r.ok)
        co_return Status();
    co_return Error::make(r.retryable ? errc::kUnavailable : errc::kInvalidArgument,
                          QStringLiteral("connector: ") + r.reason.left(120));
}

} // namespace atende::server::desk
