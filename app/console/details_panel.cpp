#include "app/console/details_panel.h"

#include "app/console/emoji_font.h"

#include <QHash>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace atende::app::console {

namespace {
constexpr int kTimelineRows = 12; // more scroll inside the list
constexpr int kHistoryRows = 6;

QLabel *sectionLabel()
{
    auto *l = new QLabel;
    l->setProperty("role", QStringLiteral("section"));
    return l;
}

// A list as tall as its rows (up to `maxRows` of them, then it scrolls): with stretch factors the lists took
// the column's spare height and left a gap under a short timeline, above "Earlier tickets".
void fitToRows(QListWidget *list, int maxRows)
{
    int height = 0;
    for (int i = 0; i < std::min(list->count(), maxRows); ++i)
        height += list->sizeHintForRow(i);
    list->setFixedHeight(height + 2 * list->frameWidth() + 4);
}
} // namespace

DetailsPanel::DetailsPanel(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLabel)
    , m_contactLines(new QLabel)
    , m_ticketLines(new QLabel)
    , m_contactTitle(sectionLabel())
    , m_ticketTitle(sectionLabel())
    , m_timelineTitle(sectionLabel())
    , m_historyTitle(sectionLabel())
    , m_timeline(new QListWidget)
    , m_history(new QListWidget)
{
    setObjectName(QStringLiteral("detailsPanel"));
    setAttribute(Qt::WA_StyledBackground); // the style sheet paints the panel's surface
    m_name->setObjectName(QStringLiteral("detailsName"));
    QFont big = m_name->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_name->setFont(big);
    m_name->setWordWrap(true);
    m_contactLines->setWordWrap(true);
    m_contactLines->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ticketLines->setWordWrap(true);
    m_timeline->setObjectName(QStringLiteral("timelineList"));
    m_history->setObjectName(QStringLiteral("historyList"));
    m_timeline->setWordWrap(true);
    for (QListWidget *list : {m_timeline, m_history}) {
        list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        list->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 12, 14, 12);
    layout->setSpacing(6);
    layout->addWidget(m_contactTitle);
    layout->addWidget(m_name);
    layout->addWidget(m_contactLines);
    layout->addSpacing(8);
    layout->addWidget(m_ticketTitle);
    layout->addWidget(m_ticketLines);
    layout->addSpacing(8);
    layout->addWidget(m_timelineTitle);
    layout->addWidget(m_timeline);
    layout->addSpacing(8);
    layout->addWidget(m_historyTitle);
    layout->addWidget(m_history);
    layout->addStretch(1);
    connect(m_history, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT historyTicketActivated(item->data(Qt::UserRole).toString()); });
    retranslate();
    clear();
}

void DetailsPanel::retranslate()
{
    m_contactTitle->setText(tr("CONTACT"));
    m_ticketTitle->setText(tr("TICKET"));
    m_timelineTitle->setText(tr("TIMELINE"));
    m_historyTitle->setText(tr("EARLIER TICKETS"));
}

void DetailsPanel::clear()
{
    setLabelText(m_name, tr("No ticket open"), EmojiFont{QString()}); // back to plain text
    m_contactLines->clear();
    m_ticketLines->clear();
    m_timeline->clear();
    m_history->clear();
    fitToRows(m_timeline, kTimelineRows);
    fitToRows(m_history, kHistoryRows);
}

QString DetailsPanel::stateText(const QString &state)
{
    if (state == QLatin1String("bot"))
        return tr("With the bot");
    if (state == QLatin1String("waiting"))
        return tr("Waiting");
    if (state == QLatin1String("in_service"))
        return tr("In service");
    if (state == QLatin1String("on_hold"))
        return tr("On hold");
    if (state == QLatin1String("closed"))
        return tr("Closed");
    return state;
}

QString DetailsPanel::eventText(const QString &kind)
{
    static const QHash<QString, const char *> texts{
        {QStringLiteral("created"), QT_TR_NOOP("Created")},
        {QStringLiteral("queued"), QT_TR_NOOP("Queued")},
        {QStringLiteral("bot_ended"), QT_TR_NOOP("Left the bot")},
        {QStringLiteral("accepted"), QT_TR_NOOP("Accepted")},
        {QStringLiteral("assigned"), QT_TR_NOOP("Assigned")},
        {QStringLiteral("transferred"), QT_TR_NOOP("Transferred")},
        {QStringLiteral("held"), QT_TR_NOOP("Put on hold")},
        {QStringLiteral("resumed"), QT_TR_NOOP("Resumed")},
        {QStringLiteral("closed"), QT_TR_NOOP("Closed")},
        {QStringLiteral("reopened"), QT_TR_NOOP("Reopened")},
        {QStringLiteral("tagged"), QT_TR_NOOP("Tagged")},
        {QStringLiteral("untagged"), QT_TR_NOOP("Tag removed")},
        {QStringLiteral("first_response"), QT_TR_NOOP("First response")},
    };
    const char *text = texts.value(kind);
    return text ? tr(text) : kind;
}

void DetailsPanel::setContact(const QString &name, const QString &phone, const QString &email, const QStringList &tags,
                              const QString &notes)
{
    setLabelText(m_name, name.isEmpty() ? tr("Customer") : name, EmojiFont()); // names often have emoji
    QStringList lines;
    if (!phone.isEmpty())
        lines.append(QStringLiteral("☎ +") + phone);
    if (!email.isEmpty())
        lines.append(QStringLiteral("✉ ") + email);
    if (!tags.isEmpty())
        lines.append(tr("Tags: %1").arg(tags.join(QStringLiteral(", "))));
    if (!notes.isEmpty())
        lines.append(notes);
    m_contactLines->setText(lines.join(QLatin1Char('\n')));
}

void DetailsPanel::setTicket(const QString &state, const QString &sector, const QString &agent, const QStringList &tags)
{
    QStringList lines{tr("State: %1").arg(stateText(state)),
                      tr("Sector: %1").arg(sector.isEmpty() ? tr("general queue") : sector)};
    if (!agent.isEmpty())
        lines.append(tr("Agent: %1").arg(agent));
    if (!tags.isEmpty())
        lines.append(tr("Tags: %1").arg(tags.join(QStringLiteral(", "))));
    m_ticketLines->setText(lines.join(QLatin1Char('\n')));
}

void DetailsPanel::setTimeline(const QList<TimelineLine> &lines)
{
    m_timeline->clear();
    for (const TimelineLine &l : lines)
        m_timeline->addItem(QStringLiteral("%1  %2").arg(l.when, l.text));
    fitToRows(m_timeline, kTimelineRows);
    m_timeline->scrollToBottom();
}

void DetailsPanel::setHistory(const QList<std::pair<QString, QString>> &tickets)
{
    m_history->clear();
    for (const auto &[id, label] : tickets) {
        auto *item = new QListWidgetItem(label, m_history);
        item->setData(Qt::UserRole, id);
    }
    if (tickets.isEmpty())
        m_history->addItem(tr("No earlier tickets."));
    fitToRows(m_history, kHistoryRows);
}

} // namespace atende::app::console
