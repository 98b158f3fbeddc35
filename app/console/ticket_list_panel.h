#pragma once
// The left column: tabs Waiting / Mine / Team / Closed with their counts, the search box (server search
// over messages, notes and contacts) and the ticket list (QListView + TicketDelegate, uniform rows).

#include "app/models/ticket_list_model.h"

#include <QWidget>
#include <array>

class QLineEdit;
class QListView;
class QListWidget;
class QStackedWidget;
class QTabBar;
class QTimer;

namespace atende::app::core {
class ApiClient;
class Directory;
} // namespace atende::app::core

namespace atende::app::console {

class TicketDelegate;

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

    QListView *listView() const { return m_list; }
    QTabBar *tabBar() const { return m_tabs; }
    QLineEdit *searchBox() const { return m_search; }
    QListWidget *searchResults() const { return m_results; }
    TicketDelegate *delegate() const { return m_delegate; }
    QString currentTicketId() const;
    // Selects the ticket n rows below (negative: above) the current one (J/K).
    void step(int delta);
    bool selectTicket(const QString &ticketId);
    void retranslate();

Q_SIGNALS:
    void ticketActivated(const QString &ticketId);

private:
    void runSearch();
    void showView(int tab);

    core::ApiClient *m_api;
    std::array<models::TicketListModel *, 4> m_models{};
    std::array<int, 3> m_counts{-1, -1, -1};
    QTabBar *m_tabs;
    QLineEdit *m_search;
    QStackedWidget *m_stack;
    QListView *m_list;
    QListWidget *m_results;
    TicketDelegate *m_delegate;
    QTimer *m_searchTimer;
    // Rows leaving or moving shift the view's current row: that is no choice of the agent's.
    bool m_modelChanging = false;
    QString m_activeTicketId;
};

} // namespace atende::app::console
