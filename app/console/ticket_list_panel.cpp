#include "app/console/ticket_list_panel.h"

#include "app/console/ticket_delegate.h"
#include "app/core/api_client.h"
#include "app/core/proto_text.h"

#include "atende/api/v1/messages.pb.h"

#include <QItemSelectionModel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QStackedWidget>
#include <QTabBar>
#include <QTextDocumentFragment>
#include <QTimer>
#include <QVBoxLayout>

namespace atende::app::console {

namespace v1 = atende::api::v1;

TicketListPanel::TicketListPanel(core::ApiClient *api, core::Directory *directory, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_tabs(new QTabBar)
    , m_search(new QLineEdit)
    , m_stack(new QStackedWidget)
    , m_list(new QListView)
    , m_results(new QListWidget)
    , m_delegate(new TicketDelegate(this))
    , m_searchTimer(new QTimer(this))
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

    auto *searchRow = new QVBoxLayout;
    searchRow->setContentsMargins(10, 8, 10, 6);
    searchRow->addWidget(m_search);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(searchRow);
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
