#include "app/ui/header_bar.h"

#include "app/ui/app_icon.h"
#include "app/ui/status_dot.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace atende::app::ui {

HeaderBar::HeaderBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(QStringLiteral("Atende"), this))
    , m_subtitle(new QLabel(this))
    , m_dot(new StatusDot(8, this))
    , m_server(new QLabel(this))
{
    setObjectName(QStringLiteral("headerBar"));
    m_title->setObjectName(QStringLiteral("headerTitle"));
    m_subtitle->setObjectName(QStringLiteral("headerSubtitle"));
    m_server->setObjectName(QStringLiteral("headerServerLabel"));
    m_dot->setObjectName(QStringLiteral("headerStateDot"));
    setFixedHeight(64);

    constexpr int kIconSize = 36;
    m_icon->setFixedSize(kIconSize, kIconSize);
    m_icon->setPixmap(appIcon().pixmap(QSize(kIconSize, kIconSize), devicePixelRatioF()));

    auto *names = new QVBoxLayout;
    names->setSpacing(0);
    names->addStretch();
    names->addWidget(m_title);
    names->addWidget(m_subtitle);
    names->addStretch();

    auto *pill = new QFrame(this);
    pill->setObjectName(QStringLiteral("serverPill"));
    pill->setFixedHeight(30);
    auto *pillLayout = new QHBoxLayout(pill);
    pillLayout->setContentsMargins(10, 0, 14, 0);
    pillLayout->setSpacing(4);
    pillLayout->addWidget(m_dot);
    pillLayout->addWidget(m_server);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(20, 0, 20, 0);
    layout->setSpacing(12);
    layout->addWidget(m_icon);
    layout->addLayout(names);
    layout->addStretch();
    layout->addWidget(pill);

    retranslate();
}

void HeaderBar::setStatus(const ConnectionStatus &status)
{
    m_status = status;
    render();
}

void HeaderBar::setTheme(const Theme &theme)
{
    m_theme = theme;
    render();
}

void HeaderBar::retranslate()
{
    m_subtitle->setText(tr("Customer service on WhatsApp"));
    render();
}

void HeaderBar::render()
{
    m_dot->setColor(m_theme.stateColor(m_status.state));
    // host:port is enough here; the full URL is on the connection card.
    const QUrl &url = m_status.serverUrl;
    m_server->setText(url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host());
    m_server->setToolTip(url.toDisplayString());
}

} // namespace atende::app::ui
