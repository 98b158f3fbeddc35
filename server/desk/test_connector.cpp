#include "server/desk/test_connector.h"

namespace atende::server::desk {

using atende::core::Error;
using atende::core::Result;

TestConnector::TestConnector(Inbox *inbox, QObject *parent)
    : Connector(parent)
    , m_inbox(inbox)
{}

QCoro::Task<ConnectorResult> TestConnector::send(OutboundMessage message)
{
    ++m_attempts;
    if (m_failPermanently)
        co_return ConnectorResult::failure(QStringLiteral("test_rejected"), false);
    if (m_failNext > 0) {
        --m_failNext;
        co_return ConnectorResult::failure(QStringLiteral("test_unavailable"), true);
    }
    const QString externalId = QStringLiteral("test-") + message.messageId.toString(QUuid::WithoutBraces);
    const QUuid id = message.messageId;
    m_sent.append(std::move(message));
    Q_EMIT messageSent(id, externalId);
    co_return ConnectorResult::success(externalId);
}

QCoro::Task<ConnectorResult> TestConnector::markRead(ReadMark mark)
{
    m_reads.append(std::move(mark));
    co_return ConnectorResult::success();
}

QCoro::Task<ConnectorResult> TestConnector::setTyping(ConnectorPeer peer, bool typing)
{
    m_typing.append(TypingCall{std::move(peer), typing});
    co_return ConnectorResult::success();
}

QCoro::Task<Result<IngestResult>> TestConnector::receive(InboundMessage message)
{
    if (!m_inbox)
        co_return Error::make(atende::core::errc::kShuttingDown, QStringLiteral("no inbox"));
    auto task = m_inbox->ingest(std::move(message));
    Result<IngestResult> r = co_await task;
    co_return r;
}

QCoro::Task<Result<bool>> TestConnector::receipt(Receipt receipt)
{
    if (!m_inbox)
        co_return Error::make(atende::core::errc::kShuttingDown, QStringLiteral("no inbox"));
    auto task = m_inbox->receipt(std::move(receipt));
    Result<bool> r = co_await task;
    co_return r;
}

} // namespace atende::server::desk
