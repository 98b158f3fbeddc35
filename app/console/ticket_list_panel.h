#pragma once
// The left column: tabs Waiting / Mine / Team / Closed with their counts, the search box (server search
// over messages, notes and contacts), the filter bar (sector, connection, tag; shown by the filter button
// and whenever a filter is on) and the ticket list (QListView + TicketDelegate, uniform rows).
//
// The tab counts (tickets.counts) follow the same sector, connection and tag filters as the lists.

#include "app/models/ticket_list_model.h"

#include <QWidget>
#include <array>

class QLineEdit;
class QListView;
class QListWidget;
class QStackedWidget;
class QTabBar;
class QTimer;
class QToolButton;

namespace atende::app::core {
class ApiClient;
class Directory;
} // namespace atende::app::core

namespace atende::app::console {

class TicketDelegate;
class TicketFilterBar;

class TicketListPanel : public QWidget {
    Q_OBJECT
public:
    using View = models::TicketListModel::View;

    TicketListPanel(core::ApiClient *api, core::Directory *directory, QWidget *parent = nullptr);

    models::TicketListModel *model(View view) const { return m_models[size_t(view)]; }
    models::TicketListModel *currentModel() const;
    View currentView() const;
    void setCurrentView(View view);
    void setSupervisor(bool supervisor);
    void setMyUserId(const QString &id);
    void setCounts(int waiting, int mine, int team);
    void reloadAll();
    // Applies the filter to every tab (reloading them) and shows it in the bar; no filterChanged.
    void setFilter(const models::TicketFilter &filter);
    models::TicketFilter filter() const { return m_filter; }
    // Offers the directory's sectors and connections and the tags of the loaded tickets.
    void refreshFilterChoices();
    void showFilters(bool show);

    QListView *listView() const { return m_list; }
    QTabBar *tabBar() const { return m_tabs; }
    QLineEdit *searchBox() const { return m_search; }
    QListWidget *searchResults() const { return m_results; }
    TicketFilterBar *filterBar() const { return m_filterBar; }
    QToolButton *filterButton() const { return m_filterButton; }
    TicketDelegate *delegate() const { return m_delegate; }
    QString currentTicketId() const;
    // Selects the ticket n rows below (negative: above) the current one (J/K).
    void step(int delta);
    bool selectTicket(const QString &ticketId);
    void retranslate();

Q_SIGNALS:
    void ticketActivated(const QString &ticketId);
    // The agent changed the filters (the console remembers them and recounts).
    void filterChanged(const atende::app::models::TicketFilter &filter);
    // Right click on a ticket row (global position).
    void contextMenuRequested(const QString &ticketId, const QPoint &globalPos);

protected:
    void changeEvent(QEvent *event) override;

private:
    void paintFilterIcon();
    void runSearch();
    void showView(int tab);

    void applyFilter(const models::TicketFilter &filter);

    core::ApiClient *m_api;
    core::Directory *m_directory;
    std::array<models::TicketListModel *, 4> m_models{};
    std::array<int, 3> m_counts{-1, -1, -1};
    QTabBar *m_tabs;
    QLineEdit *m_search;
    QStackedWidget *m_stack;
    QListView *m_list;
    QListWidget *m_results;
    TicketDelegate *m_delegate;
    QTimer *m_searchTimer;
    QTimer *m_choicesTimer;
    TicketFilterBar *m_filterBar;
    QToolButton *m_filterButton;
    models::TicketFilter m_filter;
    // Rows leaving or moving shift the view's current row: that is no choice of the agent's.
    bool m_modelChanging = false;
    QString m_activeTicketId;
};

} // namespace atende::app::console
