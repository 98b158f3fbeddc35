#include "app/console/ticket_list_panel.h"

#include "app/console/ticket_delegate.h"
#include "app/console/ticket_filter_bar.h"
#include "app/core/api_client.h"
#include "app/core/directory.h"
#include "app/core/proto_text.h"

#include "atende/api/v1/messages.pb.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPainter>
#include <QStackedWidget>
#include <QStyle>
#include <QTabBar>
#include <QTextDocumentFragment>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace atende::app::console {

namespace v1 = atende::api::v1;

TicketListPanel::TicketListPanel(core::ApiClient *api, core::Directory *directory, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_directory(directory)
    , m_tabs(new QTabBar)
    , m_search(new QLineEdit)
    , m_stack(new QStackedWidget)
    , m_list(new QListView)
    , m_results(new QListWidget)
    , m_delegate(new TicketDelegate(this))
    , m_searchTimer(new QTimer(this))
    , m_choicesTimer(new QTimer(this))
    , m_filterBar(new TicketFilterBar)
    , m_filterButton(new QToolButton)
{
    setObjectName(QStringLiteral("ticketPanel"));
    setAttribute(Qt::WA_StyledBackground);
    for (View v : {View::Waiting, View::Mine, View::Team, View::Closed})
        m_models[size_t(v)] = new models::TicketListModel(v, api, directory, this);
    m_tabs->setObjectName(QStringLiteral("ticketTabs"));
    m_tabs->setExpanding(true);
    m_tabs->setDrawBase(false);
    for (int i = 0; i < 4; ++i)
        m_tabs->addTab(QString());
    m_search->setObjectName(QStringLiteral("searchBox"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("ticketList"));
    m_list->setUniformItemSizes(true);
    m_list->setItemDelegate(m_delegate);
    m_list->setMouseTracking(true);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setWordWrap(true);
    m_stack->addWidget(m_list);
    m_stack->addWidget(m_results);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(300);
    m_choicesTimer->setSingleShot(true);
    m_choicesTimer->setInterval(200);
    m_filterButton->setObjectName(QStringLiteral("filterButton"));
    m_filterButton->setCheckable(true);
    paintFilterIcon();
    m_filterBar->hide();
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);

    auto *searchRow = new QHBoxLayout;
    searchRow->setContentsMargins(10, 8, 10, 6);
    searchRow->setSpacing(6);
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_filterButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(searchRow);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_tabs);
    layout->addWidget(m_stack, 1);

    connect(m_tabs, &QTabBar::currentChanged, this, &TicketListPanel::showView);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_stack->setCurrentWidget(text.trimmed().isEmpty() ? static_cast<QWidget *>(m_list) : m_results);
        m_searchTimer->start();
    });
    connect(m_searchTimer, &QTimer::timeout, this, &TicketListPanel::runSearch);
    connect(m_results, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QString ticketId = item->data(Qt::UserRole).toString();
        if (!ticketId.isEmpty())
            Q_EMIT ticketActivated(ticketId);
    });
    connect(m_results, &QListWidget::itemClicked, m_results, &QListWidget::itemActivated);
    connect(m_filterButton, &QToolButton::toggled, this, &TicketListPanel::showFilters);
    connect(m_filterBar, &TicketFilterBar::filterChanged, this, [this](const models::TicketFilter &f) {
        if (f == m_filter)
            return;
        applyFilter(f);
        Q_EMIT filterChanged(f);
    });
    connect(m_list, &QListView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_list->indexAt(pos);
        if (index.isValid())
            Q_EMIT contextMenuRequested(index.data(models::TicketListModel::IdRole).toString(),
                                        m_list->viewport()->mapToGlobal(pos));
    });
    connect(m_choicesTimer, &QTimer::timeout, this, &TicketListPanel::refreshFilterChoices);
    for (models::TicketListModel *m : m_models)
        connect(m, &models::TicketListModel::pageLoaded, m_choicesTimer, qOverload<>(&QTimer::start));
    if (directory) {
        connect(directory, &core::Directory::sectorsChanged, m_choicesTimer, qOverload<>(&QTimer::start));
        connect(directory, &core::Directory::connectionsChanged, m_choicesTimer, qOverload<>(&QTimer::start));
    }
    showView(0);
    retranslate();
}

void TicketListPanel::retranslate()
{
    const QString names[] = {tr("Waiting"), tr("Mine"), tr("Team"), tr("Closed")};
    for (int i = 0; i < 4; ++i) {
        const int count = i < 3 ? m_counts[size_t(i)] : -1;
        m_tabs->setTabText(i, count >= 0 ? QStringLiteral("%1 (%2)").arg(names[i]).arg(count) : names[i]);
    }
    m_search->setPlaceholderText(tr("Search messages and contacts"));
    m_filterButton->setToolTip(m_filter.isEmpty() ? tr("Filter by sector, connection or tag")
                                                  : tr("Filters are on (click to show them)"));
    m_filterBar->retranslate();
}

void TicketListPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        paintFilterIcon(); // light and dark
    QWidget::changeEvent(event);
}

void TicketListPanel::paintFilterIcon()
{
    // A funnel, drawn: no icon font or image format to depend on, sharp at any scale.
    const qreal ratio = devicePixelRatioF();
    const int side = 16;
    QPixmap pixmap(QSize(side, side) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(palette().color(QPalette::WindowText));
    const QPolygonF funnel{{1.5, 2.5}, {14.5, 2.5}, {9.5, 8.5}, {9.5, 14}, {6.5, 12.5}, {6.5, 8.5}};
    p.drawPolygon(funnel);
    p.end();
    m_filterButton->setIcon(QIcon(pixmap));
}

void TicketListPanel::setFilter(const models::TicketFilter &filter)
{
    m_filterBar->setFilter(filter);
    applyFilter(filter);
}

void TicketListPanel::applyFilter(const models::TicketFilter &filter)
{
    m_filter = filter;
    m_counts = {-1, -1, -1}; // the old numbers were of other filters
    for (models::TicketListModel *m : m_models)
        m->setFilter(filter);
    m_filterButton->setProperty("active", !filter.isEmpty());
    m_filterButton->style()->unpolish(m_filterButton);
    m_filterButton->style()->polish(m_filterButton);
    if (!filter.isEmpty())
        showFilters(true);
    retranslate();
}

void TicketListPanel::showFilters(bool show)
{
    if (m_filterButton->isChecked() != show)
        m_filterButton->setChecked(show);
    m_filterBar->setVisible(show);
}

void TicketListPanel::refreshFilterChoices()
{
    QList<FilterChoice> sectors;
    QList<FilterChoice> connections;
    if (m_directory) {
        for (const core::SectorInfo &s : m_directory->sectors())
            sectors.append({s.id, s.name});
        for (const core::ConnectionInfo &c : m_directory->connections())
            connections.append({c.id, c.name});
    }
    const auto byName = [](const FilterChoice &a, const FilterChoice &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    };
    std::sort(sectors.begin(), sectors.end(), byName);
    std::sort(connections.begin(), connections.end(), byName);
    QSet<QString> seen;
    for (const models::TicketListModel *m : m_models)
        for (int i = 0; i < m->rowCount(); ++i)
            for (const QString &tag : m->ticket(i)->tags)
                seen.insert(tag);
    QStringList tags(seen.begin(), seen.end());
    tags.sort(Qt::CaseInsensitive);
    m_filterBar->setChoices(sectors, connections, tags);
}

void TicketListPanel::setCounts(int waiting, int mine, int team)
{
    m_counts = {waiting, mine, team};
    retranslate();
}

void TicketListPanel::setSupervisor(bool supervisor)
{
    m_tabs->setTabVisible(int(View::Team), supervisor);
    m_models[size_t(View::Waiting)]->setShowAllSectors(supervisor);
}

void TicketListPanel::setMyUserId(const QString &id)
{
    for (models::TicketListModel *m : m_models)
        m->setMyUserId(id);
}

void TicketListPanel::reloadAll()
{
    for (models::TicketListModel *m : m_models)
        m->reload();
}

models::TicketListModel *TicketListPanel::currentModel() const
{
    return m_models[size_t(currentView())];
}

TicketListPanel::View TicketListPanel::currentView() const
{
    return View(std::clamp(m_tabs->currentIndex(), 0, 3));
}

void TicketListPanel::setCurrentView(View view)
{
    m_tabs->setCurrentIndex(int(view));
}

void TicketListPanel::showView(int tab)
{
    models::TicketListModel *model = m_models[size_t(std::clamp(tab, 0, 3))];
    if (m_list->model() == model)
        return;
    if (m_list->model())
        m_list->model()->disconnect(this);
    m_list->setModel(model);
    connect(model, &models::TicketListModel::structureChanging, this, [this] { m_modelChanging = true; });
    connect(model, &models::TicketListModel::structureChanged, this, [this] {
        m_modelChanging = false;
        // The open ticket left this list: highlight nothing rather than a ticket nobody chose.
        if (currentTicketId() != m_activeTicketId)
            m_list->selectionModel()->clear();
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        if (current.isValid() && !m_modelChanging) {
            m_activeTicketId = current.data(models::TicketListModel::IdRole).toString();
            Q_EMIT ticketActivated(m_activeTicketId);
        }
    });
}

QString TicketListPanel::currentTicketId() const
{
    return m_list->currentIndex().data(models::TicketListModel::IdRole).toString();
}

void TicketListPanel::step(int delta)
{
    const int rows = currentModel()->rowCount();
    if (rows == 0)
        return;
    const int now = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : (delta > 0 ? -1 : rows);
    const int next = std::clamp(now + delta, 0, rows - 1);
    m_list->setCurrentIndex(currentModel()->index(next));
    m_list->scrollTo(currentModel()->index(next));
}

bool TicketListPanel::selectTicket(const QString &ticketId)
{
    m_activeTicketId = ticketId;
    const int row = currentModel()->rowOf(ticketId);
    if (row < 0)
        return false;
    m_list->setCurrentIndex(currentModel()->index(row));
    m_list->scrollTo(currentModel()->index(row));
    return true;
}

void TicketListPanel::runSearch()
{
    const QString query = m_search->text().trimmed();
    if (query.isEmpty())
        return;
    v1::SearchRequest request;
    request.set_query(query.toStdString());
    request.set_limit(50);
    m_api->call<v1::SearchResponse>(
        core::ops::kSearch, request, this, [this, query](const core::ApiResult<v1::SearchResponse> &r) {
            if (query != m_search->text().trimmed())
                return; // typed on meanwhile
            m_results->clear();
            if (!r.ok()) {
                m_results->addItem(tr("Search failed (%1).").arg(r.error->code));
                return;
            }
            for (const v1::SearchHit &hit : r.value.hits()) {
                // The snippet is HTML-escaped with <mark>: show it as plain text.
                const QString snippet = QTextDocumentFragment::fromHtml(core::qs(hit.snippet())).toPlainText();
                const QString who = core::qs(hit.contact().name());
                auto *item = new QListWidgetItem(who.isEmpty() ? snippet : QStringLiteral("%1\n%2").arg(who, snippet),
                                                 m_results);
                item->setData(Qt::UserRole, core::qs(hit.ticket_id()));
            }
            if (m_results->count() == 0)
                m_results->addItem(tr("Nothing found."));
        });
}

} // namespace atende::app::console
