#pragma once
// TicketListModel: one tab of the console's ticket list (Waiting, Mine, Team, Closed).
//
// Pages come from tickets.list by keyset cursor (fetchMore at the end of the list, which is where Qt asks
// for it); TicketChanged events update, insert, move (beginMoveRows, the order is kept here and not in a
// proxy) or drop rows, so the list is live without reloading. data() only reads: contact names come with the
// tickets (Ticket.contact_name / contact_phone), or from the Directory when a ContactChanged event renamed one.

#include "app/models/ticket_row.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <vector>

namespace atende::api::v1 {
class TicketChanged;
}
namespace atende::app::core {
class ApiClient;
class Directory;
} // namespace atende::app::core

namespace atende::app::models {

class TicketListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum class View { Waiting, Mine, Team, Closed };
    Q_ENUM(View)
    enum Role {
        IdRole = Qt::UserRole + 1,
        ContactIdRole,
        PreviewRole,
        TimeRole,
        UnreadRole,
        SectorNameRole,
        SectorColorRole,
        StateRole,
        AssigneeRole,
        TagsRole,
    };

    TicketListModel(View view, core::ApiClient *api, core::Directory *directory, QObject *parent = nullptr);

    View view() const { return m_view; }
    static QString viewName(View view);
    void setMyUserId(const QString &id) { m_myUserId = id; }
    void setPageSize(int n) { m_pageSize = n; }
    // Supervisors keep waiting tickets of every sector.
    void setShowAllSectors(bool all) { m_showAllSectors = all; }

    // Only tickets matching the filter are listed (and loaded); changing it reloads.
    void setFilter(const TicketFilter &filter);
    const TicketFilter &filter() const { return m_filter; }

    // Drops everything and loads the first page.
    void reload();
    bool loading() const { return m_loading; }

    // Applies a TicketChanged event.
    void applyChange(const atende::api::v1::TicketChanged &change);
    // Inserts, updates, moves or removes one ticket by whether it belongs to this view.
    void upsert(const TicketRow &row);
    bool belongs(const TicketRow &row) const;
    // A message of a ticket in the list: preview, time, unread count and position follow it (the server
    // sends MessageChanged, not TicketChanged, for a message in an open ticket).
    void applyMessage(const QString &ticketId, const QString &preview, const QDateTime &at, bool countUnread);

    int rowOf(const QString &ticketId) const;
    const TicketRow *ticket(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    // Around removals, moves and resets: a view's current row shifts then without the user choosing it
    // (the view reacts in rowsAboutToBeRemoved, before any later-connected slot could tell).
    void structureChanging();
    void structureChanged();
    void pageLoaded(int rows);
    void loadFailed(const QString &code);

private:
    void loadPage(const QString &after);
    void removeAt(int row);
    int insertPosition(const TicketRow &row) const;
    void rebuildIndex(int from);

    View m_view;
    QPointer<core::ApiClient> m_api;
    QPointer<core::Directory> m_directory;
    QString m_myUserId;
    int m_pageSize = 100;
    bool m_showAllSectors = false;
    TicketFilter m_filter;
    std::vector<TicketRow> m_rows;
    QHash<QString, int> m_index; // ticket id -> row
    QString m_nextCursor;
    bool m_endReached = false;
    bool m_loading = false;
    quint64 m_generation = 0;
    QTimer m_contactsTimer;
};

} // namespace atende::app::models
