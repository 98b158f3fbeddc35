#include "app/console/emoji_picker.h"

#include "app/console/emoji_font.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QScreen>
#include <QTabBar>
#include <QVBoxLayout>

namespace atende::app::console {

EmojiPicker::EmojiPicker(QWidget *parent)
    : QFrame(parent, Qt::Popup)
    , m_search(new QLineEdit)
    , m_tabs(new QTabBar)
    , m_grid(new QListWidget)
{
    setObjectName(QStringLiteral("emojiPicker"));
    setFrameShape(QFrame::StyledPanel);
    m_search->setObjectName(QStringLiteral("emojiSearch"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    m_tabs->setObjectName(QStringLiteral("emojiCategories"));
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(true);
    for (const EmojiCategory &c : emojiCatalog())
        m_tabs->addTab(c.icon);
    m_grid->setObjectName(QStringLiteral("emojiGrid"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setUniformItemSizes(true);
    m_grid->setWrapping(true);
    m_grid->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_grid->setTextElideMode(Qt::ElideNone);
    m_grid->setSpacing(0);
    // Colour emoji where the system has them: fontconfig's fallback would otherwise take the first font with
    // the glyph, often a monochrome one. The grid and the category tabs show nothing but emoji.
    const EmojiFont emoji;
    QFont big = m_grid->font();
    if (emoji.available()) {
        big.setFamilies({emoji.family(), big.family()});
        QFont tabs = m_tabs->font();
        tabs.setFamilies({emoji.family(), tabs.family()});
        m_tabs->setFont(tabs);
    }
    big.setPointSizeF(big.pointSizeF() * 1.5);
    m_grid->setFont(big);
    const int cell = QFontMetrics(big).height() + 14;
    m_grid->setGridSize(QSize(cell, cell));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addWidget(m_tabs);
    layout->addWidget(m_grid, 1);
    // Eight columns, the scroll bar (10 px in the console's style sheet) and the margins.
    resize(cell * 8 + 16 + 14 + 2 * m_grid->frameWidth() + 4, cell * 5 + 110);
    connect(m_search, &QLineEdit::textChanged, this, &EmojiPicker::refresh);
    connect(m_tabs, &QTabBar::currentChanged, this, &EmojiPicker::refresh);
    connect(m_grid, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) { Q_EMIT picked(item->text()); });
    connect(m_grid, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) { Q_EMIT picked(item->text()); });
    retranslate();
    refresh();
}

void EmojiPicker::retranslate()
{
    m_search->setPlaceholderText(tr("Search emoji"));
    const QList<EmojiCategory> &catalog = emojiCatalog();
    for (int i = 0; i < catalog.size(); ++i)
        m_tabs->setTabToolTip(i, emojiCategoryName(catalog.at(i).key));
}

void EmojiPicker::popup(QWidget *anchor)
{
    m_search->clear();
    QPoint at = anchor->mapToGlobal(QPoint(0, -height() - 4));
    if (const QScreen *screen = anchor->screen()) {
        const QRect area = screen->availableGeometry();
        if (at.y() < area.top()) // no room above: open below the button
            at.setY(anchor->mapToGlobal(QPoint(0, anchor->height() + 4)).y());
        at.setX(std::clamp(at.x(), area.left(), std::max(area.left(), area.right() - width())));
    }
    move(at);
    QFrame::show();
    m_search->setFocus();
}

QStringList EmojiPicker::shownEmoji() const
{
    QStringList out;
    for (int i = 0; i < m_grid->count(); ++i)
        out.append(m_grid->item(i)->text());
    return out;
}

void EmojiPicker::refresh()
{
    const QString query = m_search->text().trimmed();
    m_tabs->setEnabled(query.isEmpty());
    if (!query.isEmpty()) {
        showEmoji(searchEmoji(query));
        return;
    }
    const int tab = std::max(m_tabs->currentIndex(), 0);
    showEmoji(emojiCatalog().value(tab).emoji);
}

void EmojiPicker::showEmoji(const QList<Emoji> &emoji)
{
    m_grid->clear();
    const bool portuguese = QLocale().language() == QLocale::Portuguese;
    for (const Emoji &e : emoji) {
        auto *item = new QListWidgetItem(e.text, m_grid);
        item->setToolTip(portuguese ? e.namePt : e.nameEn);
        item->setTextAlignment(Qt::AlignCenter);
    }
    if (m_grid->count() > 0)
        m_grid->setCurrentRow(0);
}

bool EmojiPicker::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && m_grid->currentItem()) {
            Q_EMIT picked(m_grid->currentItem()->text());
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up || key->key() == Qt::Key_Left ||
            key->key() == Qt::Key_Right) {
            const int step = key->key() == Qt::Key_Right ? 1 : key->key() == Qt::Key_Left ? -1 : 0;
            const int row = m_grid->currentRow() + step;
            if (step != 0 && row >= 0 && row < m_grid->count())
                m_grid->setCurrentRow(row);
            return step != 0;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace atende::app::console
