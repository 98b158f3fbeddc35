#pragma once
// The right column: the contact card (name, phone, e-mail, tags, notes), the ticket (state, sector, agent,
// tags), its timeline from tickets.timeline and the contact's earlier tickets from contacts.history.

#include <QWidget>

class QLabel;
class QListWidget;

namespace atende::app::console {

struct TimelineLine {
    QString when;
    QString text;
};

class DetailsPanel : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPanel(QWidget *parent = nullptr);

    void clear();
    void setContact(const QString &name, const QString &phone, const QString &email, const QStringList &tags,
                    const QString &notes);
    void setTicket(const QString &state, const QString &sector, const QString &agent, const QStringList &tags);
    void setTimeline(const QList<TimelineLine> &lines);
    // (ticket id, label) of the contact's other tickets.
    void setHistory(const QList<std::pair<QString, QString>> &tickets);
    static QString stateText(const QString &state);
    static QString eventText(const QString &kind);
    void retranslate();

    QListWidget *timelineList() const { return m_timeline; }
    QListWidget *historyList() const { return m_history; }

Q_SIGNALS:
    void historyTicketActivated(const QString &ticketId);

private:
    QLabel *m_name;
    QLabel *m_contactLines;
    QLabel *m_ticketLines;
    QLabel *m_contactTitle;
    QLabel *m_ticketTitle;
    QLabel *m_timelineTitle;
    QLabel *m_historyTitle;
    QListWidget *m_timeline;
    QListWidget *m_history;
};

} // namespace atende::app::console
