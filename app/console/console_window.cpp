#include "app/console/console_window.h"

#include "app/console/console_style.h"
#include "app/console/conversation_panel.h"
#include "app/console/details_panel.h"
#include "app/console/message_delegate.h"
#include "app/console/notification_sound.h"
#include "app/console/sign_in_page.h"
#include "app/console/ticket_delegate.h"
#include "app/console/ticket_list_panel.h"
#include "app/console/typing_notifier.h"
#include "app/core/api_client.h"
#include "app/core/directory.h"
#include "app/core/session.h"
#include "app/core/sync_client.h"
#include "app/models/conversation_model.h"
#include "app/ui/app_icon.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QVBoxLayout>

namespace atende::app::console {

namespace {
const char *const kSplitterKey = "console/splitter";
const char *const kGeometryKey = "console/geometry";
const char *const kEmailKey = "session/email";
const char *const kRememberKey = "session/remember";
} // namespace

ConsoleWindow::ConsoleWindow(ConsoleDeps deps, QWidget *parent)
    : QMainWindow(parent)
    , m_deps(deps)
{
    setObjectName(QStringLiteral("consoleWindow"));
    setWindowTitle(QStringLiteral("Atende"));
    setWindowIcon(ui::appIcon());
    setMinimumSize(900, 560);
    resize(1280, 800);
    buildLayout();
    createActions();

    core::Session *session = m_deps.session;
    connect(m_signIn, &SignInPage::signInRequested, this,
            [this, session](const QString &url, const QString &email, const QString &password, bool remember) {
                m_signIn->setBusy(true);
                m_signIn->setNotice({});
                QSettings settings;
                settings.setValue(QLatin1String(kEmailKey), email);
                settings.setValue(QLatin1String(kRememberKey), remember);
                session->signIn(QUrl::fromUserInput(url), email, password, remember);
            });
    connect(session, &core::Session::signInFailed, this, [this](const QString &code, const QString &message) {
        m_signIn->setBusy(false);
        m_signIn->showError(code, message);
    });
    connect(session, &core::Session::restoreFailed, this, [this] { m_signIn->setBusy(false); });
    connect(session, &core::Session::rememberFailed, this, [this](const QString &reason) {
        m_signIn->setNotice(reason);
        statusBar()->showMessage(reason, 10'000);
    });
    connect(session, &core::Session::signedIn, this, &ConsoleWindow::onSignedIn);
    connect(session, &core::Session::expired, this, &ConsoleWindow::onExpired);
    connect(m_deps.api, &core::ApiClient::reachabilityChanged, this, [this](bool reachable) {
        m_apiReachable = reachable;
        setBanner(!m_apiReachable || !m_syncOnline);
    });
    connect(m_deps.sync, &core::SyncClient::onlineChanged, this, [this](bool online) {
        m_syncOnline = online;
        // The first connection takes a moment: only say "unreachable" when a retry is pending.
        setBanner(!m_apiReachable || (!m_syncOnline && m_deps.sync->reconnects() > 0));
    });
    connect(m_deps.sync, &core::SyncClient::eventReceived, this, &ConsoleWindow::onEvent);
    connect(m_deps.sync, &core::SyncClient::resyncRequired, this, &ConsoleWindow::reloadEverything);
    connect(m_deps.directory, &core::Directory::contactChanged, this, [this](const QString &id) {
        if (id == m_openContactId)
            loadDetails();
    });

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(ui::appIcon(), this);
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
    }
    QSettings settings;
    restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray());
    applyTheme();
    retranslate();
}

ConsoleWindow::~ConsoleWindow() = default;

void ConsoleWindow::buildLayout()
{
    m_pages = new QStackedWidget;
    m_signIn = new SignInPage;
    m_console = new QWidget;
    m_console->setObjectName(QStringLiteral("consoleRoot"));

    m_banner = new QFrame;
    m_banner->setObjectName(QStringLiteral("banner"));
    m_bannerLabel = new QLabel;
    auto *bannerRow = new QHBoxLayout(m_banner);
    bannerRow->setContentsMargins(12, 6, 12, 6);
    bannerRow->addWidget(m_bannerLabel, 1);
    m_banner->hide();

    m_tickets = new TicketListPanel(m_deps.api, m_deps.directory);
    m_conversationModel = new models::ConversationModel(m_deps.api, this);
    m_conversation = new ConversationPanel(m_conversationModel);
    m_details = new DetailsPanel;
    m_userLabel = new QLabel;
    m_userLabel->setProperty("role", QStringLiteral("muted"));

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    auto *userRow = new QFrame;
    userRow->setObjectName(QStringLiteral("panelHeader"));
    auto *userLayout = new QHBoxLayout(userRow);
    userLayout->setContentsMargins(14, 10, 14, 10);
    auto *appName = new QLabel(QStringLiteral("Atende"));
    appName->setObjectName(QStringLiteral("panelTitle"));
    userLayout->addWidget(appName);
    userLayout->addStretch(1);
    userLayout->addWidget(m_userLabel);
    leftLayout->addWidget(userRow);
    leftLayout->addWidget(m_tickets, 1);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(QStringLiteral("consoleSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(1);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_conversation);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(1, 1);
    left->setMinimumWidth(260);
    m_details->setMinimumWidth(220);
    const QByteArray saved = QSettings().value(QLatin1String(kSplitterKey)).toByteArray();
    if (saved.isEmpty() || !m_splitter->restoreState(saved))
        m_splitter->setSizes({340, 640, 300});
    connect(m_splitter, &QSplitter::splitterMoved, this, &ConsoleWindow::saveLayout);

    auto *consoleLayout = new QVBoxLayout(m_console);
    consoleLayout->setContentsMargins(0, 0, 0, 0);
    consoleLayout->setSpacing(0);
    consoleLayout->addWidget(m_banner);
    consoleLayout->addWidget(m_splitter, 1);

    m_pages->addWidget(m_signIn);
    m_pages->addWidget(m_console);
    setCentralWidget(m_pages);

    connect(m_tickets, &TicketListPanel::ticketActivated, this, &ConsoleWindow::openTicket);
    connect(m_details, &DetailsPanel::historyTicketActivated, this, &ConsoleWindow::openTicket);
    connect(m_conversation->composer(), &Composer::submitted, this, &ConsoleWindow::send);
    connect(m_conversation->composer(), &Composer::quickReplyChosen, this, &ConsoleWindow::chooseQuickReply);
    connect(m_conversation, &ConversationPanel::retryRequested, this, &ConsoleWindow::retryMessage);
    connect(m_tickets, &TicketListPanel::contextMenuRequested, this, [this](const QString &id, const QPoint &at) {
        QMenu *menu = ticketMenu(id);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(at);
    });
    connect(m_conversation, &ConversationPanel::messageMenuRequested, this,
            [this](const QModelIndex &index, const QPoint &at) {
                QMenu *menu = messageMenu(index);
                menu->setAttribute(Qt::WA_DeleteOnClose);
                menu->popup(at);
            });
    m_sound = new NotificationSound(this);
    // My typing, sent to the customer: only for messages (not notes), only on a ticket I may write on.
    m_typing = new TypingNotifier(this);
    connect(m_typing, &TypingNotifier::composingChanged, this, &ConsoleWindow::sendTyping);
    connect(m_conversation->composer(), &Composer::edited, this, [this] {
        Composer *composer = m_conversation->composer();
        if (composer->noteMode() || composer->text().trimmed().isEmpty() ||
            !allowed(ticket_action::kSend, composer->ticketId()))
            m_typing->stop();
        else
            m_typing->edited(composer->ticketId());
    });
    connect(m_conversation->composer(), &Composer::submitted, m_typing, &TypingNotifier::stop);
    m_countsTimer = new QTimer(this);
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(400); // bursts of events cost one tickets.counts
    connect(m_countsTimer, &QTimer::timeout, this, &ConsoleWindow::refreshCounts);
}

bool ConsoleWindow::showingConsole() const
{
    return m_pages->currentWidget() == m_console;
}

void ConsoleWindow::prepareSignIn(const QUrl &server, const QString &email)
{
    const QSettings settings;
    const QString rememberedEmail = email.isEmpty() ? settings.value(QLatin1String(kEmailKey)).toString() : email;
    m_signIn->setServerUrl(server.toString());
    m_signIn->setEmail(rememberedEmail);
    m_signIn->rememberBox()->setChecked(settings.value(QLatin1String(kRememberKey), false).toBool());
    m_pages->setCurrentWidget(m_signIn);
    if (settings.value(QLatin1String(kRememberKey), false).toBool() && !rememberedEmail.isEmpty()) {
        m_signIn->setBusy(true);
        m_deps.session->restore(server, rememberedEmail);
    }
}

void ConsoleWindow::onSignedIn()
{
    m_signIn->setBusy(false);
    m_signIn->clearPassword();
    const core::SessionUser &user = m_deps.session->user();
    m_userLabel->setText(user.name);
    m_tickets->setMyUserId(user.id);
    m_tickets->setSupervisor(user.supervises());
    m_pages->setCurrentWidget(m_console);
    const bool sameUser = user.id == m_signedInUserId;
    m_signedInUserId = user.id;
    if (!sameUser) // another person: nothing of the previous one stays on screen
        m_conversation->composer()->setTicket({});
    const bool listsReloading = restoreFilter(); // a saved filter reloads the lists: not twice
    updateMentionCandidates();
    reload(!listsReloading);
    loadQuickReplies();
    if (sameUser && !m_openTicketId.isEmpty())
        openTicket(m_openTicketId);
    else
        m_tickets->listView()->setFocus();
}

void ConsoleWindow::onExpired()
{
    m_typing->stop();
    // Back to sign-in; the composer keeps its drafts and the open ticket for when the same user returns.
    m_pages->setCurrentWidget(m_signIn);
    m_signIn->showError(QStringLiteral("expired"), {});
    m_signIn->passwordEdit()->setFocus();
}

void ConsoleWindow::setBanner(bool show)
{
    m_banner->setVisible(show && showingConsole());
}

void ConsoleWindow::setThemeMode(ui::ThemeMode mode)
{
    m_themeMode = mode;
    applyTheme();
}

void ConsoleWindow::applyTheme()
{
    m_theme = ui::Theme::resolve(m_themeMode, QApplication::style()->standardPalette());
    setPalette(m_theme.palette());
    setStyleSheet(consoleStyleSheet(m_theme));
    m_tickets->delegate()->setTheme(m_theme);
    m_conversation->delegate()->setTheme(m_theme);
    m_conversation->delegate()->clearCache();
    m_tickets->listView()->viewport()->update();
    m_conversation->view()->viewport()->update();
}

void ConsoleWindow::retranslate()
{
    m_bannerLabel->setText(tr("The server cannot be reached. Trying again…"));
    m_tickets->retranslate();
    m_conversation->retranslate();
    m_details->retranslate();
    if (m_openTicketId.isEmpty())
        m_conversation->setHeader(tr("No ticket open"), tr("Choose a ticket on the left, or press Ctrl+K"));
}

void ConsoleWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    if (event->type() == QEvent::PaletteChange && m_themeMode == ui::ThemeMode::System && !signalsBlocked()) {
        // A system switch between light and dark; our own setPalette lands here too, so only re-resolve.
        const ui::Theme resolved = ui::Theme::resolve(m_themeMode, QApplication::style()->standardPalette());
        if (resolved.dark != m_theme.dark)
            applyTheme();
    }
    QMainWindow::changeEvent(event);
}

void ConsoleWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QLatin1String(kSplitterKey), m_splitter->saveState());
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
}

void ConsoleWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace atende::app::console
