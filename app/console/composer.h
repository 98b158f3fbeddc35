#pragma once
// The composer under the conversation: Enter sends, Shift+Enter starts a new line, the note toggle (Ctrl+N)
// switches between a message to the customer and an internal note, and every ticket keeps its own draft
// (switching tickets, or being sent back to sign-in, loses nothing).
//
// Typing "/" at the start opens the quick replies whose shortcut starts with what follows (or whose title
// contains it); Up/Down choose, Enter or Tab takes one: quickReplyChosen() lets the console fill its
// variables on the server (quick_replies.render) and replaceCommand() puts the result in the composer.
//
// The ☺ button opens the emoji picker (inserts at the cursor). In notes mode "@" lists the tenant's users
// as you type (the same popup and keys as quick replies) and inserts "@Name"; the note goes out with those
// users' ids (see MentionTracker). A message can quote another one: setQuote() shows the "replying to" bar
// and the next message carries its id.

#include "app/console/mention_tracker.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace atende::app::console {

class EmojiPicker;

struct QuickReplyItem {
    QString id;
    QString shortcut;
    QString title;
    QString body;
};

class Composer : public QWidget {
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    // Saves the draft of the current ticket and shows the one of `ticketId`.
    void setTicket(const QString &ticketId);
    QString ticketId() const { return m_ticketId; }
    QString text() const;
    void setText(const QString &text);
    QString draft(const QString &ticketId) const;
    const QHash<QString, QString> &drafts() const { return m_drafts; }

    bool noteMode() const { return m_noteMode; }
    void setNoteMode(bool note);

    void setQuickReplies(const QList<QuickReplyItem> &replies) { m_replies = replies; }
    bool quickRepliesShown() const;
    QStringList shownShortcuts() const;
    // Replaces the "/command" being typed with `text`.
    void replaceCommand(const QString &text);

    // The users "@" offers in notes mode.
    void setMentionCandidates(const QList<MentionCandidate> &users) { m_mentions.setCandidates(users); }
    bool mentionsShown() const;
    QStringList shownMentions() const;
    QStringList mentionedUserIds() const { return m_mentions.mentionedIds(text()); }

    // The next message replies to `messageId` (excerpt shown above the editor); cleared on send, on ✕ and
    // when the ticket changes.
    void setQuote(const QString &messageId, const QString &excerpt);
    void clearQuote();
    QString quotedId() const { return m_quotedId; }
    QWidget *quoteBar() const { return m_quoteBar; }

    void insertAtCursor(const QString &text);
    void showEmojiPicker();
    EmojiPicker *emojiPicker() const { return m_emoji; }
    QToolButton *emojiButton() const { return m_emojiButton; }

    QPlainTextEdit *editor() const { return m_edit; }
    void retranslate();

Q_SIGNALS:
    // Enter: the trimmed text, as a note (with the ids of the users it mentions) or a message (with the id
    // of the message it quotes, if any). The composer clears itself.
    void submitted(const QString &text, bool note, const QString &quotedId, const QStringList &mentionUserIds);
    void quickReplyChosen(const atende::app::console::QuickReplyItem &reply);
    // The agent changed the text (the typing indicator); not when a ticket's draft is loaded.
    void edited();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class PopupMode { QuickReplies, Mentions };
    void updatePopup();
    bool updateMentions();
    void showPopup(const QStringList &lines, PopupMode mode);
    void choosePopupItem();
    void submit();

    QListWidget *m_popup;
    QWidget *m_quoteBar;
    QLabel *m_quoteText;
    QToolButton *m_quoteClose;
    QToolButton *m_noteButton;
    QToolButton *m_emojiButton;
    EmojiPicker *m_emoji = nullptr;
    QPlainTextEdit *m_edit;
    QPushButton *m_send;
    QString m_ticketId;
    QHash<QString, QString> m_drafts;
    QList<QuickReplyItem> m_replies;
    QList<QuickReplyItem> m_shown;
    QList<MentionCandidate> m_shownMentions;
    MentionTracker m_mentions;
    PopupMode m_popupMode = PopupMode::QuickReplies;
    QString m_quotedId;
    bool m_noteMode = false;
    bool m_loading = false; // setTicket()/setText() put text in: nobody typed it
};

} // namespace atende::app::console

Q_DECLARE_METATYPE(atende::app::console::QuickReplyItem)
