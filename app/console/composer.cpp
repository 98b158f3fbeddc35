#include "app/console/composer.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace atende::app::console {

namespace {
constexpr int kMaxShown = 8;
}

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_popup(new QListWidget)
    , m_noteButton(new QToolButton)
    , m_edit(new QPlainTextEdit)
    , m_send(new QPushButton)
{
    setObjectName(QStringLiteral("composerBox"));
    m_popup->setObjectName(QStringLiteral("quickReplyList"));
    m_popup->hide();
    m_popup->setFocusPolicy(Qt::NoFocus);
    m_noteButton->setObjectName(QStringLiteral("noteToggle"));
    m_noteButton->setCheckable(true);
    m_noteButton->setText(QStringLiteral("✎"));
    m_edit->setObjectName(QStringLiteral("composer"));
    m_edit->setTabChangesFocus(false);
    m_edit->installEventFilter(this);
    m_edit->setFixedHeight(m_edit->fontMetrics().height() * 3 + 16);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setProperty("role", QStringLiteral("primary"));

    auto *row = new QHBoxLayout;
    row->setContentsMargins(10, 6, 10, 8);
    row->addWidget(m_noteButton, 0, Qt::AlignBottom);
    row->addWidget(m_edit, 1);
    row->addWidget(m_send, 0, Qt::AlignBottom);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_popup);
    column->addLayout(row);

    connect(m_noteButton, &QToolButton::toggled, this, &Composer::setNoteMode);
    connect(m_send, &QPushButton::clicked, this, &Composer::submit);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        updateQuickReplies();
        Q_EMIT edited();
    });
    connect(m_popup, &QListWidget::itemClicked, this, [this] { chooseQuickReply(); });
    retranslate();
}

void Composer::retranslate()
{
    m_noteButton->setToolTip(tr("Internal note (Ctrl+N)"));
    m_send->setText(tr("Send"));
    m_edit->setPlaceholderText(m_noteMode ? tr("Internal note, only your team sees it")
                                          : tr("Type a message — / for quick replies"));
}

void Composer::setTicket(const QString &ticketId)
{
    if (!m_ticketId.isEmpty()) {
        const QString current = m_edit->toPlainText();
        if (current.isEmpty())
            m_drafts.remove(m_ticketId);
        else
            m_drafts.insert(m_ticketId, current);
    }
    m_ticketId = ticketId;
    m_edit->setPlainText(m_drafts.value(ticketId));
    m_edit->moveCursor(QTextCursor::End);
    setEnabled(!ticketId.isEmpty());
}

QString Composer::text() const
{
    return m_edit->toPlainText();
}

void Composer::setText(const QString &text)
{
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
}

QString Composer::draft(const QString &ticketId) const
{
    return ticketId == m_ticketId ? m_edit->toPlainText() : m_drafts.value(ticketId);
}

void Composer::setNoteMode(bool note)
{
    m_noteMode = note;
    if (m_noteButton->isChecked() != note)
        m_noteButton->setChecked(note);
    m_edit->setProperty("noteMode", note);
    m_edit->style()->unpolish(m_edit);
    m_edit->style()->polish(m_edit);
    retranslate();
}

bool Composer::quickRepliesShown() const
{
    return !m_popup->isHidden();
}

QStringList Composer::shownShortcuts() const
{
    QStringList out;
    for (const QuickReplyItem &r : m_shown)
        out.append(r.shortcut);
    return out;
}

void Composer::updateQuickReplies()
{
    const QString text = m_edit->toPlainText();
    m_shown.clear();
    if (text.startsWith(QLatin1Char('/')) && !text.contains(QLatin1Char(' ')) && !text.contains(QLatin1Char('\n'))) {
        const QString query = text.mid(1).toLower();
        for (const QuickReplyItem &r : std::as_const(m_replies))
            if (r.shortcut.startsWith(query) && m_shown.size() < kMaxShown)
                m_shown.append(r);
        for (const QuickReplyItem &r : std::as_const(m_replies))
            if (!r.shortcut.startsWith(query) && r.title.contains(query, Qt::CaseInsensitive) &&
                m_shown.size() < kMaxShown)
                m_shown.append(r);
    }
    m_popup->clear();
    for (const QuickReplyItem &r : std::as_const(m_shown))
        m_popup->addItem(QStringLiteral("/%1 — %2").arg(r.shortcut, r.title));
    if (m_shown.isEmpty()) {
        m_popup->hide();
        return;
    }
    m_popup->setCurrentRow(0);
    m_popup->setFixedHeight(std::min(int(m_shown.size()), kMaxShown) * (fontMetrics().height() + 8) + 6);
    m_popup->show();
}

void Composer::chooseQuickReply()
{
    const int row = m_popup->currentRow();
    if (row < 0 || row >= m_shown.size())
        return;
    const QuickReplyItem chosen = m_shown.at(row);
    m_popup->hide();
    Q_EMIT quickReplyChosen(chosen);
}

void Composer::replaceCommand(const QString &text)
{
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
    m_popup->hide();
}

void Composer::submit()
{
    const QString text = m_edit->toPlainText().trimmed();
    if (text.isEmpty() || m_ticketId.isEmpty())
        return;
    m_edit->clear();
    m_drafts.remove(m_ticketId);
    Q_EMIT submitted(text, m_noteMode);
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_edit || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    const bool popup = quickRepliesShown();
    if (popup && (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up)) {
        const int step = key->key() == Qt::Key_Down ? 1 : -1;
        m_popup->setCurrentRow(std::clamp(m_popup->currentRow() + step, 0, m_popup->count() - 1));
        return true;
    }
    if (popup && key->key() == Qt::Key_Escape) {
        m_popup->hide();
        return true;
    }
    if (key->key() == Qt::Key_N && key->modifiers() == Qt::ControlModifier) {
        setNoteMode(!m_noteMode);
        return true;
    }
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if ((enter || key->key() == Qt::Key_Tab) && popup && !(key->modifiers() & Qt::ShiftModifier)) {
        chooseQuickReply();
        return true;
    }
    if (enter && !(key->modifiers() & Qt::ShiftModifier)) {
        submit();
        return true;
    }
    if (enter) { // Shift+Enter: a plain new line (not a paragraph separator)
        m_edit->insertPlainText(QStringLiteral("\n"));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace atende::app::console
