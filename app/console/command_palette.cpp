#include "app/console/command_palette.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace atende::app::console {

CommandPalette::CommandPalette(const QList<QAction *> &actions, QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit)
    , m_list(new QListWidget)
{
    setObjectName(QStringLiteral("commandPalette"));
    setWindowTitle(tr("Command palette"));
    for (QAction *a : actions)
        m_actions.append(a);
    m_filter->setObjectName(QStringLiteral("paletteFilter"));
    m_filter->setPlaceholderText(tr("Type an action…"));
    m_filter->installEventFilter(this);
    m_list->setObjectName(QStringLiteral("paletteList"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list);
    resize(460, 360);
    connect(m_filter, &QLineEdit::textChanged, this, &CommandPalette::refilter);
    connect(m_list, &QListWidget::itemActivated, this, &CommandPalette::runCurrent);
    refilter();
}

bool CommandPalette::matches(const QString &text, const QString &query)
{
    qsizetype at = 0;
    const QString plain = QString(text).remove(QLatin1Char('&'));
    for (const QChar c : query) {
        if (c.isSpace())
            continue;
        at = plain.indexOf(c, at, Qt::CaseInsensitive);
        if (at < 0)
            return false;
        ++at;
    }
    return true;
}

QStringList CommandPalette::shownNames() const
{
    QStringList names;
    for (int i = 0; i < m_list->count(); ++i)
        names.append(m_list->item(i)->text());
    return names;
}

void CommandPalette::refilter()
{
    m_list->clear();
    const QString query = m_filter->text();
    for (int i = 0; i < m_actions.size(); ++i) {
        QAction *a = m_actions.at(i);
        if (!a || !matches(a->text(), query))
            continue;
        QString label = QString(a->text()).remove(QLatin1Char('&'));
        if (!a->shortcut().isEmpty())
            label += QStringLiteral("    ") + a->shortcut().toString(QKeySequence::NativeText);
        auto *item = new QListWidgetItem(label, m_list);
        item->setData(Qt::UserRole, i);
        if (!a->isEnabled())
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->flags() & Qt::ItemIsEnabled) {
            m_list->setCurrentRow(i);
            break;
        }
}

void CommandPalette::runCurrent()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item || !(item->flags() & Qt::ItemIsEnabled))
        return;
    QPointer<QAction> action = m_actions.value(item->data(Qt::UserRole).toInt());
    accept();
    if (action)
        action->trigger();
}

bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            m_list->setCurrentRow(std::clamp(m_list->currentRow() + step, 0, m_list->count() - 1));
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            runCurrent();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace atende::app::console
