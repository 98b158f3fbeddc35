#pragma once
// ConsoleWindow: the agent's desktop console. A sign-in page, then three columns in a QSplitter (sizes
// remembered): tickets, conversation, details. Every action (accept, accept next, transfer, hold, resume,
// close, reopen, tag, note mode, J/K, search, palette, help) is a QAction with a shortcut, reachable from
// the conversation's tool bar and the command palette (Ctrl+K).
//
// Live: SyncClient events update the lists and the open conversation; a banner shows while the server is
// unreachable; new waiting tickets in my sectors and new messages in my tickets raise a tray notification
// and a sound unless "do not disturb" is on. When the session expires the window returns to sign-in and
// keeps the drafts and the open ticket.
//
// Which ticket actions are enabled comes from ticketActionAllowed() (ticket_rules.h), for the tool bar and
// palette (the open ticket) and for the context menus of ticket rows and message bubbles alike. The ticket
// list's filters (sector, connection, tag) are remembered per user and the tab counts follow them.
//
// Split over console_window.cpp (layout, sign-in, theme), console_actions.cpp (ticket actions),
// console_live.cpp (events, notifications), console_menus.cpp (context menus) and console_filters.cpp
// (filters and their persistence).

#include "app/console/composer.h"
#include "app/console/ticket_rules.h"
#include "app/models/ticket_row.h"
#include "app/ui/theme.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QMenu;
class QModelIndex;
class QSplitter;
class QStackedWidget;
class QSystemTrayIcon;
class QTimer;

namespace atende::api::v1 {
class Event;
class Ticket;
} // namespace atende::api::v1

namespace atende::app::core {
class ApiClient;
class Directory;
class Session;
class SyncClient;
} // namespace atende::app::core

namespace atende::app::models {
class ConversationModel;
struct TicketRow;
} // namespace atende::app::models

namespace atende::app::console {

class ConversationPanel;
class DetailsPanel;
class NotificationSound;
class SignInPage;
class TicketListPanel;
class TypingNotifier;

struct ConsoleDeps {
    core::ApiClient *api = nullptr;
    core::Session *session = nullptr;
    core::SyncClient *sync = nullptr;
    core::Directory *directory = nullptr;
};

class ConsoleWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit ConsoleWindow(ConsoleDeps deps, QWidget *parent = nullptr);
    ~ConsoleWindow() override;

    void setThemeMode(ui::ThemeMode mode);
    const ui::Theme &theme() const { return m_theme; }
    // Pre-fills the sign-in page (and tries the keychain when remembered).
    void prepareSignIn(const QUrl &server, const QString &email);

    SignInPage *signInPage() const { return m_signIn; }
    TicketListPanel *ticketPanel() const { return m_tickets; }
    ConversationPanel *conversationPanel() const { return m_conversation; }
    DetailsPanel *detailsPanel() const { return m_details; }
    QSplitter *splitter() const { return m_splitter; }
    QWidget *banner() const { return m_banner; }
    bool showingConsole() const;
    QString openTicketId() const { return m_openTicketId; }
    QAction *action(const QString &name) const { return m_actions.value(name); }
    QList<QAction *> allActions() const;
    int notificationsShown() const { return m_notificationsShown; }
    NotificationSound *sound() const { return m_sound; }
    TypingNotifier *typingNotifier() const { return m_typing; }
    // What the signed-in user may do with a ticket (a row of the lists, or the open one).
    bool allowed(const char *action, const QString &ticketId) const;
    // The context menus, built as on a right click (tests look at them without showing them).
    QMenu *ticketMenu(const QString &ticketId);
    QMenu *messageMenu(const QModelIndex &message);
    int unreadTotal() const { return m_unreadTotal; }

public Q_SLOTS:
    void openTicket(const QString &ticketId);
    void showCommandPalette();
    void showShortcuts();

Q_SIGNALS:
    // A desktop notification went out (title, text): tests and the tray.
    void notified(const QString &title, const QString &text);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    // console_window.cpp
    void buildLayout();
    void applyTheme();
    void retranslate();
    void onSignedIn();
    void onExpired();
    void setBanner(bool show);
    void saveLayout();
    // console_actions.cpp
    void createActions();
    void updateActions();
    void ticketCall(const char *which, const QString &ticketId);
    void transfer(const QString &ticketId);
    void closeTicket(const QString &ticketId);
    void tagTicket(const QString &ticketId);
    void untagTicket(const QString &ticketId, const QString &tag);
    void markRead(const QString &ticketId);
    void retryMessage(const QString &messageId);
    void acceptNext();
    void send(const QString &text, bool note, const QString &quotedId, const QStringList &mentionUserIds);
    void chooseQuickReply(const QuickReplyItem &reply);
    void loadQuickReplies();
    void loadDetails();
    void showTicketRow(const models::TicketRow &row);
    void reportError(const QString &what, const QString &code, const QString &reason);
    const models::TicketRow *findRow(const QString &ticketId) const;
    TicketFacts factsOf(const QString &ticketId) const;
    ActorFacts me() const;
    // console_menus.cpp
    void createMenuActions();
    void openContact(const QString &ticketId);
    // console_filters.cpp
    void createFilterActions();
    // true when the saved filter differs from the lists' one: they are reloading already.
    bool restoreFilter();
    void saveFilter(const models::TicketFilter &filter);
    void updateFilterActions();
    void updateMentionCandidates();
    void sendTyping(const QString &ticketId, bool composing);
    // console_live.cpp
    void onEvent(const atende::api::v1::Event &event);
    void refreshCounts();
    void notify(const QString &title, const QString &text);
    void updateTray();
    void reloadEverything() { reload(true); }
    void reload(bool lists);

    ConsoleDeps m_deps;
    ui::ThemeMode m_themeMode = ui::ThemeMode::System;
    ui::Theme m_theme = ui::Theme::light();
    QStackedWidget *m_pages = nullptr;
    SignInPage *m_signIn = nullptr;
    QWidget *m_console = nullptr;
    QSplitter *m_splitter = nullptr;
    QWidget *m_banner = nullptr;
    QLabel *m_bannerLabel = nullptr;
    QLabel *m_userLabel = nullptr;
    TicketListPanel *m_tickets = nullptr;
    models::ConversationModel *m_conversationModel = nullptr;
    ConversationPanel *m_conversation = nullptr;
    DetailsPanel *m_details = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer *m_countsTimer = nullptr;
    QHash<QString, QAction *> m_actions;
    QString m_openTicketId;
    QString m_openState;
    QString m_openAssigneeId;
    NotificationSound *m_sound = nullptr;
    TypingNotifier *m_typing = nullptr;
    QString m_openContactId;
    QString m_signedInUserId;
    int m_notificationsShown = 0;
    int m_unreadTotal = 0;
    bool m_apiReachable = true;
    bool m_syncOnline = true;
};

} // namespace atende::app::console
