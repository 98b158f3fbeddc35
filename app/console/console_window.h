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
// Split over console_window.cpp (layout, sign-in, theme), console_actions.cpp (ticket actions) and
// console_live.cpp (events, notifications).

#include "app/console/composer.h"
#include "app/ui/theme.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
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
class SignInPage;
class TicketListPanel;

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
    void ticketCall(const char *which, const QString &reason = {});
    void transfer();
    void closeTicket();
    void tagTicket();
    void acceptNext();
    void send(const QString &text, bool note);
    void chooseQuickReply(const QuickReplyItem &reply);
    void loadQuickReplies();
    void loadDetails();
    void showTicketRow(const models::TicketRow &row);
    void reportError(const QString &what, const QString &code, const QString &reason);
    // console_live.cpp
    void onEvent(const atende::api::v1::Event &event);
    void refreshCounts();
    void notify(const QString &title, const QString &text);
    void updateTray();
    void reloadEverything();

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
    QString m_openContactId;
    QString m_signedInUserId;
    int m_notificationsShown = 0;
    int m_unreadTotal = 0;
    bool m_apiReachable = true;
    bool m_syncOnline = true;
};

} // namespace atende::app::console
