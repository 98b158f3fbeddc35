#pragma once
// The composer under the conversation: Enter sends, Shift+Enter starts a new line, the note toggle (Ctrl+N)
// switches between a message to the customer and an internal note, and every ticket keeps its own draft
// (switching tickets, or being sent back to sign-in, loses nothing).
//
// Typing "/" at the start opens the quick replies whose shortcut starts with what follows (or whose title
// contains it); Up/Down choose, Enter or Tab takes one: quickReplyChosen() lets the console fill its
// variables on the server (quick_replies.render) and replaceCommand() puts the result in the composer.

#include <QHash>
#include <QWidget>

class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace atende::app::console {

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

    QPlainTextEdit *editor() const { return m_edit; }
    void retranslate();

Q_SIGNALS:
    // Enter: the trimmed text, as a note or a message. The composer clears itself.
    void submitted(const QString &text, bool note);
    void quickReplyChosen(const atende::app::console::QuickReplyItem &reply);
    // The text changed (typing indicators, drafts).
    void edited();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateQuickReplies();
    void chooseQuickReply();
    void submit();

    QListWidget *m_popup;
    QToolButton *m_noteButton;
    QPlainTextEdit *m_edit;
    QPushButton *m_send;
    QString m_ticketId;
    QHash<QString, QString> m_drafts;
    QList<QuickReplyItem> m_replies;
    QList<QuickReplyItem> m_shown;
    bool m_noteMode = false;
};

} // namespace atende::app::console

Q_DECLARE_METATYPE(atende::app::console::QuickReplyItem)
