#pragma once
// The ticket list's filter bar: sector, connection and tag (combos, "All" first), and a clear button. It only
// says what the agent chose (filterChanged); the panel applies it to the lists and the console to the counts
// and remembers it per user.

#include "app/models/ticket_row.h"

#include <QWidget>

class QComboBox;
class QToolButton;

namespace atende::app::console {

struct FilterChoice {
    QString id;
    QString name;
};

class TicketFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit TicketFilterBar(QWidget *parent = nullptr);

    // The lists offered; the current choice survives when still offered (a tag is always kept).
    void setChoices(const QList<FilterChoice> &sectors, const QList<FilterChoice> &connections,
                    const QStringList &tags);
    models::TicketFilter filter() const;
    // Shows `filter` without emitting filterChanged.
    void setFilter(const models::TicketFilter &filter);
    void clear();

    QComboBox *sectorBox() const { return m_sector; }
    QComboBox *connectionBox() const { return m_connection; }
    QComboBox *tagBox() const { return m_tag; }
    QToolButton *clearButton() const { return m_clear; }
    void retranslate();

Q_SIGNALS:
    void filterChanged(const atende::app::models::TicketFilter &filter);

private:
    void changed();
    static void fill(QComboBox *box, const QList<FilterChoice> &choices, const QString &keep);

    QComboBox *m_sector;
    QComboBox *m_connection;
    QComboBox *m_tag;
    QToolButton *m_clear;
    bool m_quiet = false;
};

} // namespace atende::app::console
