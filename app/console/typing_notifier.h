#pragma once
// When to tell the customer that the agent is typing (tickets.typing, "composing"). Each keystroke in the
// composer calls edited(); the notifier says composing = true at most once per throttle interval (5 s) while
// keys keep coming, and composing = false after an idle interval (5 s) without keys, when the message is
// sent, or when the agent switches to another ticket. Internal notes are no typing the customer should see:
// the console does not call edited() in notes mode.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace atende::app::console {

class TypingNotifier : public QObject {
    Q_OBJECT
public:
    explicit TypingNotifier(QObject *parent = nullptr);

    // Tests shorten the 5 s intervals.
    void setIntervals(int throttleMs, int idleMs);

    void edited(const QString &ticketId);
    // The message went out, or the agent left the ticket (another one, sign-out): stop now.
    void stop();
    bool composing() const { return m_composing; }
    QString ticketId() const { return m_ticketId; }

Q_SIGNALS:
    void composingChanged(const QString &ticketId, bool composing);

private:
    QTimer m_idle;
    QElapsedTimer m_sinceSent;
    QString m_ticketId;
    int m_throttleMs = 5000;
    bool m_composing = false;
};

} // namespace atende::app::console
