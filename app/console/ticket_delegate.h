#pragma once
// Paints one row of the ticket list: avatar with the contact's initials in the sector colour, name and
// time on the first line, last message preview and the unread badge on the second. Every row has the same
// height (the view uses uniform item sizes). A name or preview with emoji is drawn with them in colour from a
// small cache of laid-out lines (TextBlock): shaping colour emoji is too slow to repeat on every frame.

#include "app/console/console_style.h"
#include "app/console/emoji_font.h"
#include "app/console/text_block.h"

#include <QHash>
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
    // `text` on one line in `rect` (vertically centred), cut with "…" when too wide.
    void drawLine(QPainter *painter, const QRect &rect, const QString &text, const QFont &font) const;

    ui::Theme m_theme = ui::Theme::light();
    ConsoleColors m_colors = ConsoleColors::from(ui::Theme::light());
    EmojiFont m_emoji;
    mutable QHash<QString, TextBlock> m_lines; // by font, width and text; only texts with emoji
};

} // namespace atende::app::console
