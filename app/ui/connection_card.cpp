#include "app/ui/connection_card.h"

#include "app/ui/status_dot.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace atende::app::ui {

namespace {
const QString kUnknown = QStringLiteral("\u2014"); // em dash

QLabel *makeLabel(QWidget *parent, const char *objectName, const char *role)
{
    auto *label = new QLabel(parent);
    if (objectName)
        label->setObjectName(QLatin1String(objectName));
    if (role)
        label->setProperty("role", QLatin1String(role));
    return label;
}
} // namespace

ConnectionCard::ConnectionCard(QWidget *parent)
    : QFrame(parent)
    , m_dot(new StatusDot(14, this))
    , m_title(makeLabel(this, "connectionTitleLabel", nullptr))
    , m_subtitle(makeLabel(this, "connectionSubtitleLabel", nullptr))
    , m_versionName(makeLabel(this, nullptr, "fieldName"))
    , m_version(makeLabel(this, "serverVersionValue", "fieldValue"))
    , m_latencyName(makeLabel(this, nullptr, "fieldName"))
    , m_latency(makeLabel(this, "latencyValue", "fieldValue"))
    , m_realtimeName(makeLabel(this, nullptr, "fieldName"))
    , m_realtime(makeLabel(this, "realtimeValue", "fieldValue"))
    , m_lastErrorName(makeLabel(this, nullptr, "fieldName"))
    , m_lastError(makeLabel(this, "lastErrorValue", "fieldValue"))
    , m_lastErrorTime(makeLabel(this, "lastErrorTimeValue", nullptr))
    , m_retry(makeLabel(this, "retryLabel", "muted"))
    , m_retryButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("connectionCard"));
    m_dot->setObjectName(QStringLiteral("connectionStateDot"));
    m_retryButton->setObjectName(QStringLiteral("retryButton"));
    m_retryButton->setCursor(Qt::PointingHandCursor);
    m_subtitle->setWordWrap(true);
    m_lastError->setWordWrap(true);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lastError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QLabel *name : {m_versionName, m_latencyName, m_realtimeName, m_lastErrorName})
        name->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(10);
    titleRow->addWidget(m_dot, 0, Qt::AlignVCenter);
    titleRow->addWidget(m_title, 1);

    auto *separator = new QFrame(this);
    separator->setObjectName(QStringLiteral("cardSeparator"));
    separator->setFrameShape(QFrame::NoFrame);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(24);
    grid->setVerticalSpacing(12);
    grid->setColumnStretch(1, 1);
    int row = 0;
    for (auto [name, value] : {std::pair{m_versionName, m_version}, std::pair{m_latencyName, m_latency},
                               std::pair{m_realtimeName, m_realtime}}) {
        grid->addWidget(name, row, 0);
        grid->addWidget(value, row, 1);
        ++row;
    }
    auto *lastError = new QVBoxLayout;
    lastError->setSpacing(2);
    lastError->addWidget(m_lastError);
    lastError->addWidget(m_lastErrorTime);
    grid->addWidget(m_lastErrorName, row, 0);
    grid->addLayout(lastError, row, 1);

    auto *retryRow = new QHBoxLayout;
    retryRow->addWidget(m_retry, 1);
    retryRow->addWidget(m_retryButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 28, 32, 28);
    layout->setSpacing(0);
    layout->addLayout(titleRow);
    layout->addSpacing(6);
    layout->addWidget(m_subtitle);
    layout->addSpacing(22);
    layout->addWidget(separator);
    layout->addSpacing(22);
    layout->addLayout(grid);
    layout->addSpacing(24);
    layout->addLayout(retryRow);

    connect(m_retryButton, &QPushButton::clicked, this, &ConnectionCard::retryRequested);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionCard::renderCountdown);

    retranslate();
}

void ConnectionCard::setStatus(const ConnectionStatus &status)
{
    m_status = status;
    render();
}

void ConnectionCard::setTheme(const Theme &theme)
{
    m_theme = theme;
    render();
}

void ConnectionCard::retranslate()
{
    m_versionName->setText(tr("Server version"));
    m_latencyName->setText(tr("Latency"));
    m_realtimeName->setText(tr("Real-time channel"));
    m_lastErrorName->setText(tr("Last error"));
    m_retryButton->setText(tr("Try now"));
    render();
}

QString ConnectionCard::stateTitle(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connected: return tr("Connected");
    case ConnectionState::Degraded: return tr("Limited service");
    case ConnectionState::Unreachable: return tr("Server unreachable");
    case ConnectionState::Connecting: break;
    }
    return tr("Connecting");
}

void ConnectionCard::render()
{
    const ConnectionStatus &s = m_status;
    const QString url = s.serverUrl.toDisplayString();
    m_dot->setColor(m_theme.stateColor(s.state));
    m_title->setText(stateTitle(s.state));
    switch (s.state) {
    case ConnectionState::Connecting: m_subtitle->setText(tr("Connecting to %1…").arg(url)); break;
    case ConnectionState::Connected: m_subtitle->setText(tr("Connected to %1").arg(url)); break;
    case ConnectionState::Degraded:
        m_subtitle->setText(tr("Connected to %1, but the server is not fully working.").arg(url));
        break;
    case ConnectionState::Unreachable: m_subtitle->setText(tr("Cannot reach %1.").arg(url)); break;
    }

    m_version->setText(s.serverVersion.isEmpty() ? kUnknown : s.serverVersion);
    m_latency->setText(s.roundTripMs < 0 ? kUnknown : tr("%1 ms").arg(s.roundTripMs));
    if (s.realtimeConnected)
        m_realtime->setText(tr("Open"));
    else if (s.state == ConnectionState::Unreachable)
        m_realtime->setText(tr("Waiting for the server"));
    else if (s.state == ConnectionState::Connecting)
        m_realtime->setText(tr("Opening…"));
    else
        m_realtime->setText(tr("Reconnecting…"));

    m_lastError->setText(s.lastError.isEmpty() ? tr("None") : s.lastError);
    if (!s.lastError.isEmpty() && s.lastErrorAt.isValid()) {
        const QLocale locale;
        const QDateTime at = s.lastErrorAt.toLocalTime();
        const QString when = at.date() == QDate::currentDate() ? locale.toString(at.time(), QStringLiteral("HH:mm:ss"))
                                                               : locale.toString(at, QLocale::ShortFormat);
        m_lastErrorTime->setText(tr("at %1").arg(when));
        m_lastErrorTime->setVisible(true);
    } else {
        m_lastErrorTime->clear();
        m_lastErrorTime->setVisible(false);
    }

    const bool canRetry = s.state == ConnectionState::Unreachable || s.state == ConnectionState::Degraded;
    m_retryButton->setVisible(canRetry);
    if (s.state == ConnectionState::Unreachable && s.nextAttemptAt.isValid())
        m_countdown.start();
    else
        m_countdown.stop();
    renderCountdown();
}

void ConnectionCard::renderCountdown()
{
    const ConnectionStatus &s = m_status;
    switch (s.state) {
    case ConnectionState::Unreachable: {
        if (!s.nextAttemptAt.isValid()) {
            m_retry->setText(tr("Trying again…"));
            break;
        }
        const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(s.nextAttemptAt);
        const int seconds = static_cast<int>((ms + 999) / 1000);
        m_retry->setText(seconds > 0 ? tr("Trying again in %n second(s).", nullptr, seconds) : tr("Trying again…"));
        break;
    }
    case ConnectionState::Degraded: m_retry->setText(tr("Checking again automatically.")); break;
    case ConnectionState::Connecting: m_retry->setText(tr("Waiting for the server to answer…")); break;
    case ConnectionState::Connected: m_retry->setText(tr("Checked every few seconds.")); break;
    }
}

} // namespace atende::app::ui
