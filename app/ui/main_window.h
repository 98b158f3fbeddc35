#pragma once
// The main window: header bar on top, pages in the middle, status bar below.
//
// Today the only page is the connection card. Sign-in and the three-column console (ticket lists,
// conversation, contact details) become further pages of m_pages in later issues.
//
// The window gets plain values (ConnectionStatus) and reports user intent with signals; it does not
// know about sockets or the server (STYLE.md: app/ui depends on nothing else in app/).

#include "app/ui/connection_status.h"
#include "app/ui/theme.h"

#include <QMainWindow>

class QLabel;
class QStackedWidget;

namespace atende::app::ui {

class ConnectionCard;
class HeaderBar;
class StatusDot;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void setConnectionStatus(const ConnectionStatus &status);
    const ConnectionStatus &connectionStatus() const { return m_status; }

    void setThemeMode(ThemeMode mode);
    ThemeMode themeMode() const { return m_themeMode; }
    const Theme &theme() const { return m_theme; }

Q_SIGNALS:
    // "Try now" on the connection card.
    void retryRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void retranslate();
    void renderStatus();

    HeaderBar *m_header;
    QStackedWidget *m_pages;
    ConnectionCard *m_card;
    StatusDot *m_statusDot;
    QLabel *m_statusLabel;
    QLabel *m_versionLabel;
    ConnectionStatus m_status;
    ThemeMode m_themeMode = ThemeMode::System;
    Theme m_theme = Theme::light();
};

} // namespace atende::app::ui
