#include "app/console/composer.h"

#include "app/console/emoji_highlighter.h"
#include "app/console/emoji_picker.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
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
    , m_quoteBar(new QFrame)
    , m_quoteText(new QLabel)
    , m_quoteClose(new QToolButton)
    , m_noteButton(new QToolButton)
    , m_emojiButton(new QToolButton)
    , m_edit(new QPlainTextEdit)
    , m_send(new QPushButton)
{
    setObjectName(QStringLiteral("composerBox"));
    m_popup->setObjectName(QStringLiteral("quickReplyList"));
    m_popup->hide();
    m_popup->setFocusPolicy(Qt::NoFocus);
    m_quoteBar->setObjectName(QStringLiteral("quoteBar"));
    m_quoteText->setObjectName(QStringLiteral("quoteText"));
    m_quoteClose->setText(QStringLiteral("✕"));
    m_quoteBar->hide();
    m_noteButton->setObjectName(QStringLiteral("noteToggle"));
    m_noteButton->setCheckable(true);
    m_noteButton->setText(QStringLiteral("✎"));
    m_emojiButton->setObjectName(QStringLiteral("emojiButton"));
    m_emojiButton->setText(QStringLiteral("☺"));
    m_edit->setObjectName(QStringLiteral("composer"));
    new EmojiHighlighter(m_edit->document()); // owned by the document
    m_edit->setTabChangesFocus(false);
    m_edit->installEventFilter(this);
    m_edit->setFixedHeight(m_edit->fontMetrics().height() * 3 + 16);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setProperty("role", QStringLiteral("primary"));

    auto *quoteRow = new QHBoxLayout(m_quoteBar);
    quoteRow->setContentsMargins(8, 4, 4, 4);
    quoteRow->addWidget(m_quoteText, 1);
    quoteRow->addWidget(m_quoteClose);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(10, 6, 10, 8);
    row->addWidget(m_noteButton, 0, Qt::AlignBottom);
    row->addWidget(m_emojiButton, 0, Qt::AlignBottom);
    row->addWidget(m_edit, 1);
    row->addWidget(m_send, 0, Qt::AlignBottom);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_popup);
    auto *quoteMargins = new QVBoxLayout;
    quoteMargins->setContentsMargins(10, 6, 10, 0);
    quoteMargins->addWidget(m_quoteBar);
    column->addLayout(quoteMargins);
    column->addLayout(row);

    connect(m_noteButton, &QToolButton::toggled, this, &Composer::setNoteMode);
    connect(m_emojiButton, &QToolButton::clicked, this, &Composer::showEmojiPicker);
    connect(m_quoteClose, &QToolButton::clicked, this, &Composer::clearQuote);
    connect(m_send, &QPushButton::clicked, this, &Composer::submit);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        updatePopup();
        if (!m_loading)
            Q_EMIT edited();
    });
    connect(m_edit, &QPlainTextEdit::cursorPositionChanged, this, &Composer::updatePopup);
    connect(m_popup, &QListWidget::itemClicked, this, [this] { choosePopupItem(); });
    retranslate();
}

void Composer::retranslate()
{
    m_noteButton->setToolTip(tr("Internal note (Ctrl+N)"));
    m_emojiButton->setToolTip(tr("Emoji"));
    m_quoteClose->setToolTip(tr("Do not reply to this message"));
    m_send->setText(tr("Send"));
    m_edit->setPlaceholderText(m_noteMode ? tr("Internal note, only your team sees it — @ mentions a colleague")
                                          : tr("Type a message — / for quick replies"));
    if (m_emoji)
        m_emoji->retranslate();
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
    if (ticketId != m_ticketId)
        clearQuote();
    m_ticketId = ticketId;
    m_loading = true;
    m_edit->setPlainText(m_drafts.value(ticketId));
    m_loading = false;
    m_edit->moveCursor(QTextCursor::End);
    setEnabled(!ticketId.isEmpty());
}

QString Composer::text() const
{
    return m_edit->toPlainText();
}

void Composer::setText(const QString &text)
{
    m_loading = true;
    m_edit->setPlainText(text);
    m_loading = false;
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
    if (note)
        clearQuote(); // a note quotes nothing (messages.note has no quoted message)
    m_edit->setProperty("noteMode", note);
    m_edit->style()->unpolish(m_edit);
    m_edit->style()->polish(m_edit);
    retranslate();
    updatePopup();
}

void Composer::setQuote(const QString &messageId, const QString &excerpt)
{
    setNoteMode(false);
    m_quotedId = messageId;
    const QString line = QString(excerpt).replace(QLatin1Char('\n'), QLatin1Char(' '));
    setLabelText(m_quoteText,
                 tr("Replying to: %1").arg(m_quoteText->fontMetrics().elidedText(line, Qt::ElideRight, 420)),
                 EmojiFont());
    m_quoteBar->show();
    m_edit->setFocus();
}

void Composer::clearQuote()
{
    m_quotedId.clear();
    m_quoteBar->hide();
}

void Composer::insertAtCursor(const QString &text)
{
    m_edit->textCursor().insertText(text);
}

void Composer::showEmojiPicker()
{
    if (!m_emoji) {
        m_emoji = new EmojiPicker(this);
        connect(m_emoji, &EmojiPicker::picked, this, &Composer::insertAtCursor);
    }
    m_emoji->popup(m_emojiButton);
}

bool Composer::quickRepliesShown() const
{
    return m_popupMode == PopupMode::QuickReplies && !m_popup->isHidden();
}

QStringList Composer::shownShortcuts() const
{
    QStringList out;
    for (const QuickReplyItem &r : m_shown)
        out.append(r.shortcut);
    return out;
}

bool Composer::mentionsShown() const
{
    return m_popupMode == PopupMode::Mentions && !m_popup->isHidden();
}

QStringList Composer::shownMentions() const
{
    QStringList out;
    for (const MentionCandidate &m : m_shownMentions)
        out.append(m.name);
    return out;
}

void Composer::showPopup(const QStringList &lines, PopupMode mode)
{
    m_popupMode = mode;
    m_popup->clear();
    m_popup->addItems(lines);
    if (lines.isEmpty()) {
        m_popup->hide();
        return;
    }
    m_popup->setCurrentRow(0);
    m_popup->setFixedHeight(std::min(int(lines.size()), kMaxShown) * (fontMetrics().height() + 8) + 6);
    m_popup->show();
}

bool Composer::updateMentions()
{
    m_shownMentions.clear();
    const QString text = m_edit->toPlainText();
    const int start = m_noteMode ? MentionTracker::queryStart(text, m_edit->textCursor().position()) : -1;
    if (start < 0)
        return false;
    const QString query = text.mid(start + 1, m_edit->textCursor().position() - start - 1);
    m_shownMentions = m_mentions.matches(query, kMaxShown);
    QStringList lines;
    for (const MentionCandidate &m : std::as_const(m_shownMentions))
        lines.append(QStringLiteral("@") + m.name);
    showPopup(lines, PopupMode::Mentions);
    return true;
}

void Composer::updatePopup()
{
    if (updateMentions())
        return;
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
    QStringList lines;
    for (const QuickReplyItem &r : std::as_const(m_shown))
        lines.append(QStringLiteral("/%1 — %2").arg(r.shortcut, r.title));
    showPopup(lines, PopupMode::QuickReplies);
}

void Composer::choosePopupItem()
{
    const int row = m_popup->currentRow();
    if (m_popupMode == PopupMode::Mentions) {
        if (row < 0 || row >= m_shownMentions.size())
            return;
        const MentionCandidate user = m_shownMentions.at(row);
        QTextCursor cursor = m_edit->textCursor();
        const int start = MentionTracker::queryStart(m_edit->toPlainText(), cursor.position());
        if (start < 0)
            return;
        cursor.setPosition(start, QTextCursor::KeepAnchor);
        m_mentions.remember(user);
        cursor.insertText(QStringLiteral("@%1 ").arg(user.name));
        m_edit->setTextCursor(cursor);
        m_popup->hide();
        return;
    }
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
    const QStringList mentions = m_noteMode ? m_mentions.mentionedIds(text) : QStringList();
    const QString quoted = m_noteMode ? QString() : m_quotedId;
    m_edit->clear();
    m_drafts.remove(m_ticketId);
    m_mentions.clear();
    clearQuote();
    Q_EMIT submitted(text, m_noteMode, quoted, mentions);
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_edit || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    const bool popup = !m_popup->isHidden();
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
        choosePopupItem();
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
