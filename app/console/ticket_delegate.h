#pragma once
// Paints one row of the ticket list: avatar with the contact's initials in the sector colour, name and
// time on the first line, last message preview and the unread badge on the second. Every row has the same
// height (the view uses uniform item sizes).

#include "app/console/console_style.h"

#include <QStyledItemDelegate>

namespace atende::app::console {

class TicketDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void setTheme(const ui::Theme &theme);
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QString initials(const QString &name);
    static QString timeText(const QDateTime &at);

private:
    ui::Theme m_theme = ui::Theme::light();
    ConsoleColors m_colors = ConsoleColors::from(ui::Theme::light());
};

} // namespace atende::app::console
