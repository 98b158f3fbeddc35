#include "app/console/ticket_filter_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QToolButton>

namespace atende::app::console {

TicketFilterBar::TicketFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_sector(new QComboBox)
    , m_connection(new QComboBox)
    , m_tag(new QComboBox)
    , m_clear(new QToolButton)
{
    setObjectName(QStringLiteral("ticketFilters"));
    m_sector->setObjectName(QStringLiteral("sectorFilter"));
    m_connection->setObjectName(QStringLiteral("connectionFilter"));
    m_tag->setObjectName(QStringLiteral("tagFilter"));
    m_clear->setObjectName(QStringLiteral("clearFilters"));
    m_clear->setText(QStringLiteral("✕"));
    // A tag is free text (any tag can be searched for); the list offers the tags seen on tickets.
    m_tag->setEditable(true);
    m_tag->setInsertPolicy(QComboBox::NoInsert);
    for (QComboBox *box : {m_sector, m_connection, m_tag}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(3);
        box->setProperty("role", QStringLiteral("filter"));
    }
    m_sector->addItem(QString());
    m_connection->addItem(QString());
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(10, 0, 10, 6);
    row->setSpacing(4);
    row->addWidget(m_sector, 4);
    row->addWidget(m_connection, 5);
    row->addWidget(m_tag, 3);
    row->addWidget(m_clear);
    connect(m_sector, &QComboBox::currentIndexChanged, this, &TicketFilterBar::changed);
    connect(m_connection, &QComboBox::currentIndexChanged, this, &TicketFilterBar::changed);
    connect(m_tag, &QComboBox::currentIndexChanged, this, &TicketFilterBar::changed);
    connect(m_tag->lineEdit(), &QLineEdit::editingFinished, this, &TicketFilterBar::changed);
    connect(m_clear, &QToolButton::clicked, this, &TicketFilterBar::clear);
    retranslate();
}

void TicketFilterBar::retranslate()
{
    // Short words: three filters share the left column ("Sector" unfiltered reads like a column header).
    m_sector->setItemText(0, tr("Sector"));
    m_connection->setItemText(0, tr("Connection"));
    m_tag->lineEdit()->setPlaceholderText(tr("Tag"));
    m_sector->setToolTip(tr("Only tickets of this sector"));
    m_connection->setToolTip(tr("Only tickets of this WhatsApp connection"));
    m_tag->setToolTip(tr("Only tickets with this tag"));
    m_clear->setToolTip(tr("Clear filters"));
}

void TicketFilterBar::fill(QComboBox *box, const QList<FilterChoice> &choices, const QString &keep)
{
    const QSignalBlocker block(box);
    while (box->count() > 1)
        box->removeItem(1);
    for (const FilterChoice &c : choices)
        box->addItem(c.name, c.id);
    const int at = keep.isEmpty() ? 0 : box->findData(keep);
    box->setCurrentIndex(std::max(at, 0));
}

void TicketFilterBar::setChoices(const QList<FilterChoice> &sectors, const QList<FilterChoice> &connections,
                                 const QStringList &tags)
{
    const models::TicketFilter before = filter();
    fill(m_sector, sectors, before.sectorId);
    fill(m_connection, connections, before.connectionId);
    if (!m_tag->lineEdit()->hasFocus()) { // not under the agent's fingers
        const QSignalBlocker block(m_tag);
        m_tag->clear();
        m_tag->addItems(tags);
        m_tag->setCurrentIndex(-1);
        m_tag->setEditText(before.tag);
    }
    if (filter() != before) // a sector or connection that is gone no longer filters
        changed();
}

models::TicketFilter TicketFilterBar::filter() const
{
    return {m_sector->currentData().toString(), m_connection->currentData().toString(), m_tag->currentText().trimmed()};
}

void TicketFilterBar::setFilter(const models::TicketFilter &filter)
{
    m_quiet = true;
    const auto select = [](QComboBox *box, const QString &id) {
        const int at = id.isEmpty() ? 0 : box->findData(id);
        if (at < 0) { // not loaded yet: keep the id so the filter still applies
            box->addItem(id, id);
            box->setCurrentIndex(box->count() - 1);
        } else {
            box->setCurrentIndex(at);
        }
    };
    select(m_sector, filter.sectorId);
    select(m_connection, filter.connectionId);
    m_tag->setCurrentIndex(-1);
    m_tag->setEditText(filter.tag);
    m_quiet = false;
}

void TicketFilterBar::clear()
{
    m_quiet = true;
    m_sector->setCurrentIndex(0);
    m_connection->setCurrentIndex(0);
    m_tag->setCurrentIndex(-1);
    m_tag->setEditText(QString());
    m_quiet = false;
    changed();
}

void TicketFilterBar::changed()
{
    if (!m_quiet)
        Q_EMIT filterChanged(filter());
}

} // namespace atende::app::console
