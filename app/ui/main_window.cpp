#include "app/ui/main_window.h"

#include "app/ui/app_icon.h"
#include "app/ui/connection_card.h"
#include "app/ui/header_bar.h"
#include "app/ui/logging.h"
#include "app/ui/status_dot.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace atende::app::ui {

namespace {
constexpr int kCardMaxWidth = 600;

// The connection page: the card, centred, at a comfortable reading width.
QWidget *makeConnectionPage(ConnectionCard *card)
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("connectionPage"));
    card->setMaximumWidth(kCardMaxWidth);
    card->setMinimumWidth(380);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(card, 4);
    row->addStretch(1);
    auto *column = new QVBoxLayout(page);
    column->setContentsMargins(24, 24, 24, 24);
    column->addStretch(2);
    column->addLayout(row);
    column->addStretch(3);
    return page;
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_header(new HeaderBar)
    , m_pages(new QStackedWidget)
    , m_card(new ConnectionCard)
    , m_statusDot(new StatusDot(6))
    , m_statusLabel(new QLabel)
    , m_versionLabel(new QLabel)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Atende"));
    setWindowIcon(appIcon());
    setMinimumSize(720, 480);
    resize(1100, 720);

    auto *root = new QWidget;
    root->setObjectName(QStringLiteral("appRoot"));
    auto *layout = new QVBoxLayout(root);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    layout->addWidget(m_pages, 1);
    m_pages->addWidget(makeConnectionPage(m_card));
    setCentralWidget(root);

    m_statusDot->setObjectName(QStringLiteral("statusStateDot"));
    m_statusLabel->setObjectName(QStringLiteral("statusConnectionLabel"));
    m_versionLabel->setObjectName(QStringLiteral("statusVersionLabel"));
    auto *statusItem = new QWidget;
    auto *statusLayout = new QHBoxLayout(statusItem);
    statusLayout->setContentsMargins(12, 0, 0, 0);
    statusLayout->setSpacing(2);
    statusLayout->addWidget(m_statusDot);
    statusLayout->addWidget(m_statusLabel);
    statusBar()->setSizeGripEnabled(false);
    statusBar()->addWidget(statusItem, 1);
    statusBar()->addPermanentWidget(m_versionLabel);

    connect(m_card, &ConnectionCard::retryRequested, this, &MainWindow::retryRequested);

    applyTheme();
    retranslate();
}

MainWindow::~MainWindow() = default;

void MainWindow::setConnectionStatus(const ConnectionStatus &status)
{
    m_status = status;
    m_header->setStatus(status);
    m_card->setStatus(status);
    renderStatus();
}

void MainWindow::setThemeMode(ThemeMode mode)
{
    m_themeMode = mode;
    applyTheme();
}

void MainWindow::changeEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::LanguageChange: retranslate(); break;
    case QEvent::ApplicationPaletteChange:
        // The system switched between light and dark (we never change the application palette).
        if (m_themeMode == ThemeMode::System)
            applyTheme();
        break;
    default: break;
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::applyTheme()
{
    const Theme theme = Theme::resolve(m_themeMode, QApplication::palette());
    qCDebug(lcUi) << "theme" << (theme.dark ? "dark" : "light");
    m_theme = theme;
    setPalette(theme.palette());
    setStyleSheet(theme.styleSheet());
    m_header->setTheme(theme);
    m_card->setTheme(theme);
    renderStatus();
}

void MainWindow::retranslate()
{
    m_header->retranslate();
    m_card->retranslate();
    m_versionLabel->setText(tr("Atende %1").arg(QCoreApplication::applicationVersion()));
    renderStatus();
}

void MainWindow::renderStatus()
{
    m_statusDot->setColor(m_theme.stateColor(m_status.state));
    QString text = ConnectionCard::stateTitle(m_status.state);
    if (m_status.state == ConnectionState::Connected && m_status.roundTripMs >= 0)
        text = tr("%1 · %2 ms").arg(text).arg(m_status.roundTripMs);
    m_statusLabel->setText(text);
}

} // namespace atende::app::ui
