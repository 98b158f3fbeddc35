#include "app/console/typing_notifier.h"

namespace atende::app::console {

TypingNotifier::TypingNotifier(QObject *parent)
    : QObject(parent)
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(5000);
    connect(&m_idle, &QTimer::timeout, this, &TypingNotifier::stop);
}

void TypingNotifier::setIntervals(int throttleMs, int idleMs)
{
    m_throttleMs = throttleMs;
    m_idle.setInterval(idleMs);
}

void TypingNotifier::edited(const QString &ticketId)
{
    if (ticketId.isEmpty())
        return;
    if (ticketId != m_ticketId)
        stop(); // the other ticket's customer should not see "typing…" forever
    m_ticketId = ticketId;
    m_idle.start();
    // WhatsApp drops "composing" after a while by itself: repeat it every interval while keys keep coming.
    if (!m_composing || m_sinceSent.elapsed() >= m_throttleMs) {
        m_composing = true;
        m_sinceSent.start();
        Q_EMIT composingChanged(m_ticketId, true);
    }
}

void TypingNotifier::stop()
{
    m_idle.stop();
    if (!m_composing)
        return;
    m_composing = false;
    Q_EMIT composingChanged(m_ticketId, false);
}

} // namespace atende::app::console
