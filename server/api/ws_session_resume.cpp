// WsSession: live event delivery and the sync.resume operation (protocol in sync.proto, overview in
// ws_session.h).

#include "server/api/ws_session.h"

#include <optional>

namespace atende::server::api {

namespace v1 = atende::api::v1;
using atende::core::Error;
namespace errc = atende::core::errc;

void WsSession::onLiveEvent(const v1::Event &event)
{
    const quint64 seq = event.seq();
    if (seq == 0) { // ephemeral: never stored, never resumed, never held back
        sendEvent(event);
        return;
    }
    if (m_resume.holding) {
        if (m_resume.held.size() < kMaxHeldBack)
            m_resume.held.append(event);
        else
            m_resume.overflow = true; // the log has them: the client reads one more page instead
        return;
    }
    if (seq <= m_lastSeq)
        return;
    if (m_firstLiveSeq == 0)
        m_firstLiveSeq = seq;
    m_lastSeq = seq;
    sendEvent(event);
}

void WsSession::beginHoldingBack()
{
    if (m_resume.holding)
        return;
    m_resume = Resume{};
    m_resume.holding = true;
    // What this session already delivered live is not sent again by the backlog.
    if (m_firstLiveSeq != 0) {
        m_resume.coveredFrom = m_firstLiveSeq;
        m_resume.coveredTo = m_lastSeq;
    }
}

void WsSession::finishResume()
{
    const QList<v1::Event> held = std::move(m_resume.held);
    m_resume = Resume{};
    for (const v1::Event &e : held) {
        if (e.seq() <= m_lastSeq)
            continue; // the backlog page already had it
        m_lastSeq = e.seq();
        sendEvent(e);
    }
}

QCoro::Task<> WsSession::resume(quint64 id, v1::SyncResumeRequest request, bool json, bool authenticateFirst)
{
    QPointer<WsSession> self(this);
    if (m_resume.running) {
        if (authenticateFirst)
            authenticateSession(0, false, json);
        sendReplyError(id, Error::make(errc::kConflict, QStringLiteral("a sync.resume is already running")), json);
        co_return;
    }
    if (authenticateFirst) {
        // Hold live events from the moment the subscription starts, so none slips between backlog and live.
        if (!m_subscription) {
            m_lastSeq = 0;
            m_firstLiveSeq = 0;
        }
        beginHoldingBack();
        m_resume.running = true;
        auto auth = authenticateSession(0, false, json);
        co_await auth;
        if (!self)
            co_return;
        m_resume.running = false;
    }
    std::optional<Error> refused;
    if (request.limit() > quint32(kMaxResumeLimit))
        refused =
            Error::make(errc::kInvalidArgument, QStringLiteral("limit must be between 1 and %1").arg(kMaxResumeLimit));
    else if (!m_options.backlog || !m_options.hub)
        refused = Error::make(errc::kUnavailable, QStringLiteral("the event log is not available"));
    else if (!m_subscription)
        refused = Error::make(errc::kUnauthenticated, QStringLiteral("send an access token first"));
    if (refused) {
        if (m_resume.holding && !m_resume.started)
            finishResume(); // no page was served yet: back to live delivery
        sendReplyError(id, *refused, json);
        co_return;
    }
    beginHoldingBack();
    m_resume.running = true;
    if (!m_resume.started) {
        m_resume.started = true;
        m_resume.startAfter = request.after_seq();
    }

    const int limit = request.limit() == 0 ? kDefaultResumeLimit : int(request.limit());
    const QUuid tenantId = m_subscriber.tenantId;
    const BacklogReader reader = m_options.backlog;
    auto pageTask = reader(tenantId, request.after_seq(), limit);
    atende::core::Result<BacklogPage> page = co_await pageTask;
    if (!self)
        co_return;
    m_resume.running = false;
    if (!page.ok() || !m_subscription || m_subscriber.tenantId != tenantId) {
        finishResume();
        sendReplyError(id,
                       page.ok() ? Error::make(errc::kUnauthenticated, QStringLiteral("the session signed out"))
                                 : page.error(),
                       json);
        co_return;
    }

    v1::SyncResumeResponse response;
    response.set_head_seq(page->headSeq);
    if (page->gap) {
        // The client reloads its state; what it reloads includes everything up to headSeq.
        response.set_resync_required(true);
        m_lastSeq = qMax(m_lastSeq, page->headSeq);
        response.set_last_seq(m_lastSeq);
        sendReplyBody(id, response, json);
        finishResume();
        co_return;
    }
    for (const LoggedEvent &e : std::as_const(page->events)) {
        const quint64 seq = e.event.seq();
        const bool delivered = m_resume.coveredFrom != 0 && seq >= m_resume.coveredFrom && seq <= m_resume.coveredTo;
        if (!delivered && mayReceive(m_subscriber, e.audience))
            *response.add_events() = e.event;
    }
    m_lastSeq = qMax(m_lastSeq, page->scannedTo);
    bool more = page->more;
    if (!more && m_resume.overflow) {
        // Too many live events arrived meanwhile to hold them all: the log serves them on the next page.
        m_resume.held.clear();
        m_resume.overflow = false;
        more = true;
    }
    response.set_more(more);
    response.set_last_seq(m_lastSeq);
    sendReplyBody(id, response, json);
    if (!more) {
        const quint64 startAfter = m_resume.startAfter;
        finishResume();
        // From startAfter on the client now has every event it may see.
        m_firstLiveSeq = startAfter + 1;
    }
}

} // namespace atende::server::api
