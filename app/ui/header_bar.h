#pragma once
// The top bar: app icon and name on the left, the server the app talks to on the right.

#include "app/ui/connection_status.h"
#include "app/ui/theme.h"

#include <QFrame>

class QLabel;

namespace atende::app::ui {

class StatusDot;

class HeaderBar : public QFrame {
    Q_OBJECT
public:
    explicit HeaderBar(QWidget *parent = nullptr);

    void setStatus(const ConnectionStatus &status);
    void setTheme(const Theme &theme);
    void retranslate();

private:
    void render();

    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_subtitle;
    StatusDot *m_dot;
    QLabel *m_server;
    ConnectionStatus m_status;
    Theme m_theme = Theme::light();
};

} // namespace atende::app::ui
