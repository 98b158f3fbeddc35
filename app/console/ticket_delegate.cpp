#include "app/console/ticket_delegate.h"

#include "app/models/ticket_list_model.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

namespace atende::app::console {

using models::TicketListModel;

namespace {
constexpr int kLineCacheLimit = 512; // names and previews with emoji: dozens of screens of the list
}

void TicketDelegate::setTheme(const ui::Theme &theme)
{
    m_theme = theme;
    m_colors = ConsoleColors::from(theme);
}

QString TicketDelegate::initials(const QString &name)
{
    QString out;
    for (const QString &part : name.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (part.at(0).isLetterOrNumber() || part.at(0) == QLatin1Char('+'))
            out.append(part.at(0).toUpper());
        if (out.size() == 2)
            break;
    }
    return out.isEmpty() ? QStringLiteral("?") : out;
}

QString TicketDelegate::timeText(const QDateTime &at)
{
    if (!at.isValid())
        return {};
    const QDate today = QDate::currentDate();
    if (at.date() == today)
        return QLocale().toString(at.time(), QLocale::ShortFormat);
    if (at.date() == today.addDays(-1))
        return tr("Yesterday");
    if (at.date().daysTo(today) < 7)
        return QLocale().dayName(at.date().dayOfWeek(), QLocale::ShortFormat);
    return QLocale().toString(at.date(), QLocale::ShortFormat);
}

void TicketDelegate::drawLine(QPainter *p, const QRect &rect, const QString &text, const QFont &font) const
{
    if (m_emoji.formats(text).isEmpty()) {
        p->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetrics(font).elidedText(text, Qt::ElideRight, rect.width()));
        return;
    }
    const QString key = font.key() + QLatin1Char('\x1f') + QString::number(rect.width()) + QLatin1Char('\x1f') + text;
    auto it = m_lines.constFind(key);
    if (it == m_lines.constEnd()) {
        if (m_lines.size() >= kLineCacheLimit)
            m_lines.clear();
        it = m_lines.insert(key, TextBlock::elided(text, font, m_emoji, rect.width()));
    }
    it->draw(p, QPointF(rect.left(), rect.top() + (rect.height() - it->size().height()) / 2.0));
}

QSize TicketDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return {200, fm.height() * 2 + 28};
}

void TicketDelegate::paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QRect r = option.rect;
    const bool selected = option.state & QStyle::State_Selected;
    p->fillRect(r, selected ? m_colors.selection : m_theme.surface);
    if (option.state & QStyle::State_MouseOver && !selected)
        p->fillRect(r, m_colors.selection.lighter(m_theme.dark ? 90 : 102));

    const QFontMetrics fm(option.font);
    const int pad = 12;
    const int avatar = r.height() - 2 * pad + 4;
    const QRect avatarRect(r.left() + pad, r.top() + (r.height() - avatar) / 2, avatar, avatar);
    QColor sectorColor = index.data(TicketListModel::SectorColorRole).value<QColor>();
    if (!sectorColor.isValid())
        sectorColor = m_theme.mutedText;
    p->setPen(Qt::NoPen);
    p->setBrush(sectorColor);
    p->drawEllipse(avatarRect);
    QFont bold = option.font;
    bold.setBold(true);
    p->setFont(bold);
    p->setPen(Qt::white);
    const QString name = index.data(Qt::DisplayRole).toString();
    p->drawText(avatarRect, Qt::AlignCenter, initials(name));

    const int textLeft = avatarRect.right() + pad;
    const int textRight = r.right() - pad;
    const int line1 = r.top() + pad - 2;
    const int line2 = line1 + fm.height() + 6;
    const int unread = index.data(TicketListModel::UnreadRole).toInt();

    const QString time = timeText(index.data(TicketListModel::TimeRole).toDateTime());
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.85);
    const QFontMetrics smallFm(small);
    const int timeWidth = smallFm.horizontalAdvance(time);
    p->setFont(small);
    p->setPen(unread > 0 ? m_theme.accent : m_colors.muted);
    p->drawText(QRect(textRight - timeWidth, line1, timeWidth, fm.height()), Qt::AlignRight | Qt::AlignVCenter, time);

    p->setFont(bold);
    p->setPen(m_theme.text);
    const int nameWidth = textRight - timeWidth - 8 - textLeft;
    drawLine(p, QRect(textLeft, line1, nameWidth, fm.height()), name, bold);

    int previewRight = textRight;
    if (unread > 0) {
        const QString count = unread > 99 ? QStringLiteral("99+") : QString::number(unread);
        const int h = smallFm.height() + 4;
        const int w = std::max(h, smallFm.horizontalAdvance(count) + 10);
        const QRect badge(textRight - w, line2 + (fm.height() - h) / 2, w, h);
        p->setPen(Qt::NoPen);
        p->setBrush(m_colors.badge);
        p->drawRoundedRect(badge, h / 2.0, h / 2.0);
        p->setFont(small);
        p->setPen(m_colors.badgeText);
        p->drawText(badge, Qt::AlignCenter, count);
        previewRight = badge.left() - 8;
    }
    const QString state = index.data(TicketListModel::StateRole).toString();
    QString preview = index.data(TicketListModel::PreviewRole).toString().simplified();
    if (state == QLatin1String("on_hold"))
        preview = tr("On hold") + QStringLiteral(" · ") + preview;
    p->setFont(option.font);
    p->setPen(m_colors.muted);
    drawLine(p, QRect(textLeft, line2, previewRight - textLeft, fm.height()), preview, option.font);

    p->setPen(m_colors.separator);
    p->drawLine(textLeft, r.bottom(), r.right(), r.bottom());
    p->restore();
}

} // namespace atende::app::console
