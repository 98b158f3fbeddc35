#pragma once
// The middle column: the ticket's header (contact, state, actions), the conversation (QListView over the
// bounded ConversationModel with MessageDelegate), the "typing…" line and the composer.
//
// Older pages load when the view nears its top; the row that was on screen stays where it was while rows
// are prepended (the anchor). Clicking "Not sent · retry" on a failed message asks to retry it.

#include "app/models/conversation_model.h"

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QListView;
class QToolBar;
class QTimer;

namespace atende::app::console {

class Composer;
class MessageDelegate;

class ConversationPanel : public QWidget {
    Q_OBJECT
public:
    ConversationPanel(models::ConversationModel *model, QWidget *parent = nullptr);

    void setHeader(const QString &title, const QString &subtitle);
    void setTyping(bool typing);
    QToolBar *toolBar() const { return m_toolBar; }
    QListView *view() const { return m_view; }
    Composer *composer() const { return m_composer; }
    MessageDelegate *delegate() const { return m_delegate; }
    models::ConversationModel *model() const { return m_model; }
    QLabel *typingLabel() const { return m_typing; }
    void scrollToBottom();
    void retranslate();

Q_SIGNALS:
    void retryRequested(const QString &messageId);
    // Right click on a message (global position).
    void messageMenuRequested(const QModelIndex &message, const QPoint &globalPos);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void maybeLoad();
    void rememberAnchor();
    void restoreAnchor();

    models::ConversationModel *m_model;
    QLabel *m_title;
    QLabel *m_subtitle;
    QToolBar *m_toolBar;
    QListView *m_view;
    QLabel *m_typing;
    Composer *m_composer;
    MessageDelegate *m_delegate;
    QTimer *m_typingTimer;
    QPersistentModelIndex m_anchor;
    int m_anchorOffset = 0;
    bool m_stickToBottom = true;
};

} // namespace atende::app::console
