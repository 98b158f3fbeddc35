#include "app/models/ticket_list_model.h"

#include "app/core/api_client.h"
#include "app/core/directory.h"
#include "app/core/proto_text.h"

#include "atende/api/v1/tickets.pb.h"

#include <QColor>

namespace atende::app::models {

namespace v1 = atende::api::v1;

TicketListModel::TicketListModel(View view, core::ApiClient *api, core::Directory *directory, QObject *parent)
    : QAbstractListModel(parent)
    , m_view(view)
    , m_api(api)
    , m_directory(directory)
{
    if (directory) {
        // Contacts arrive one by one (hundreds per page): one repaint of the rows for a burst of them, not a
        // scan of every row per contact.
        m_contactsTimer.setSingleShot(true);
        m_contactsTimer.setInterval(50);
        connect(&m_contactsTimer, &QTimer::timeout, this, [this] {
            if (!m_rows.empty())
                Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {Qt::DisplayRole});
        });
        connect(directory, &core::Directory::contactChanged, this, [this] {
            if (!m_contactsTimer.isActive())
                m_contactsTimer.start();
        });
        connect(directory, &core::Directory::sectorsChanged, this, [this] {
            if (!m_rows.empty())
                Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {SectorNameRole, SectorColorRole});
        });
    }
}

QString TicketListModel::viewName(View view)
{
    switch (view) {
    case View::Waiting: return QStringLiteral("waiting");
    case View::Mine: return QStringLiteral("mine");
    case View::Team: return QStringLiteral("team");
    case View::Closed: return QStringLiteral("closed");
    }
    return {};
}

void TicketListModel::reload()
{
    Q_EMIT structureChanging();
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    m_nextCursor.clear();
    m_endReached = false;
    endResetModel();
    Q_EMIT structureChanged();
    ++m_generation;
    m_loading = false;
    loadPage({});
}

void TicketListModel::loadPage(const QString &after)
{
    if (!m_api || m_loading)
        return;
    m_loading = true;
    v1::ListTicketsRequest request;
    request.set_view(viewName(m_view).toStdString());
    request.set_after(after.toStdString());
    request.set_limit(quint32(m_pageSize));
    request.set_sector_id(m_filter.sectorId.toStdString());
    request.set_connection_id(m_filter.connectionId.toStdString());
    request.set_tag(m_filter.tag.toStdString());
    const quint64 generation = m_generation;
    m_api->call<v1::ListTicketsResponse>(core::ops::kListTickets, request, this,
                                         [this, generation](const core::ApiResult<v1::ListTicketsResponse> &r) {
                                             if (generation != m_generation)
                                                 return; // a reload started meanwhile
                                             m_loading = false;
                                             if (!r.ok()) {
                                                 Q_EMIT loadFailed(r.error->code);
                                                 return;
                                             }
                                             std::vector<TicketRow> fresh;
                                             fresh.reserve(size_t(r.value.tickets_size()));
                                             for (const v1::Ticket &t : r.value.tickets()) {
                                                 TicketRow row = TicketRow::fromProto(t);
                                                 if (m_index.contains(row.id))
                                                     continue; // a live event put it here already
                                                 fresh.push_back(std::move(row));
                                             }
                                             m_nextCursor = core::qs(r.value.next_cursor());
                                             m_endReached = m_nextCursor.isEmpty();
                                             if (!fresh.empty()) {
                                                 const int first = int(m_rows.size());
                                                 beginInsertRows({}, first, first + int(fresh.size()) - 1);
                                                 for (TicketRow &row : fresh)
                                                     m_rows.push_back(std::move(row));
                                                 rebuildIndex(first);
                                                 endInsertRows();
                                             }
                                             Q_EMIT pageLoaded(int(fresh.size()));
                                         });
}

bool TicketListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_endReached && !m_loading && !m_nextCursor.isEmpty();
}

void TicketListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        loadPage(m_nextCursor);
}

void TicketListModel::setFilter(const TicketFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

bool TicketListModel::belongs(const TicketRow &row) const
{
    // A live change can move a ticket out of the filter (a transfer to another sector, a tag removed).
    if (!m_filter.matches(row))
        return false;
    const bool open = row.state == QLatin1String("in_service") || row.state == QLatin1String("on_hold");
    switch (m_view) {
    case View::Waiting: {
        if (row.state != QLatin1String("waiting") && row.state != QLatin1String("bot"))
            return false;
        // A ticket transferred to a sector I am not in is sent to me once more, so that it leaves my list.
        const QSet<QString> mine = m_directory ? m_directory->mySectorIds() : QSet<QString>();
        return row.sectorId.isEmpty() || mine.isEmpty() || mine.contains(row.sectorId) || m_showAllSectors;
    }
    case View::Mine: return open && row.assigneeId == m_myUserId;
    case View::Team: return open;
    case View::Closed: return row.state == QLatin1String("closed");
    }
    return false;
}

void TicketListModel::applyChange(const v1::TicketChanged &change)
{
    if (change.has_ticket())
        upsert(TicketRow::fromProto(change.ticket()));
}

int TicketListModel::insertPosition(const TicketRow &row) const
{
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), row,
                                     [](const TicketRow &a, const TicketRow &b) { return a.sortsBefore(b); });
    return int(it - m_rows.begin());
}

void TicketListModel::upsert(const TicketRow &row)
{
    const int existing = rowOf(row.id);
    if (!belongs(row)) {
        if (existing >= 0)
            removeAt(existing);
        return;
    }
    if (existing < 0) {
        const int pos = insertPosition(row);
        if (pos == int(m_rows.size()) && !m_endReached && !m_rows.empty())
            return; // older than everything loaded: its page brings it
        beginInsertRows({}, pos, pos);
        m_rows.insert(m_rows.begin() + pos, row);
        rebuildIndex(pos);
        endInsertRows();
        return;
    }
    TicketRow old = std::move(m_rows[size_t(existing)]);
    m_rows.erase(m_rows.begin() + existing);
    const int pos = insertPosition(row);
    m_rows.insert(m_rows.begin() + existing, std::move(old));
    if (pos != existing) {
        Q_EMIT structureChanging();
        beginMoveRows({}, existing, existing, {}, pos > existing ? pos + 1 : pos);
        m_rows.erase(m_rows.begin() + existing);
        m_rows.insert(m_rows.begin() + pos, row);
        rebuildIndex(std::min(existing, pos));
        endMoveRows();
        Q_EMIT structureChanged();
    } else {
        m_rows[size_t(pos)] = row;
    }
    const QModelIndex at = index(pos);
    Q_EMIT dataChanged(at, at);
}

void TicketListModel::applyMessage(const QString &ticketId, const QString &preview, const QDateTime &at,
                                   bool countUnread)
{
    const TicketRow *current = ticket(rowOf(ticketId));
    if (!current)
        return;
    TicketRow row = *current;
    row.preview = preview.left(200);
    if (at.isValid()) {
        row.lastMessageAt = at;
        row.lastActivityAt = std::max(row.lastActivityAt, at);
    }
    if (countUnread)
        ++row.unread;
    upsert(row);
}

void TicketListModel::removeAt(int row)
{
    Q_EMIT structureChanging();
    beginRemoveRows({}, row, row);
    m_index.remove(m_rows[size_t(row)].id);
    m_rows.erase(m_rows.begin() + row);
    rebuildIndex(row);
    endRemoveRows();
    Q_EMIT structureChanged();
}

void TicketListModel::rebuildIndex(int from)
{
    for (int i = from; i < int(m_rows.size()); ++i)
        m_index.insert(m_rows[size_t(i)].id, i);
}

int TicketListModel::rowOf(const QString &ticketId) const
{
    return m_index.value(ticketId, -1);
}

const TicketRow *TicketListModel::ticket(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int TicketListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TicketListModel::data(const QModelIndex &index, int role) const
{
    const TicketRow *t = index.isValid() ? ticket(index.row()) : nullptr;
    if (!t)
        return {};
    switch (role) {
    case Qt::DisplayRole: {
        // The ticket carries the contact's name; a ContactChanged event since (a rename) is in the directory.
        const core::ContactInfo c = m_directory ? m_directory->contact(t->contactId) : core::ContactInfo{};
        if (!c.name.isEmpty())
            return c.name;
        const QString label = t->contactLabel();
        return label.isEmpty() ? tr("Customer") : label;
    }
    case IdRole: return t->id;
    case ContactIdRole: return t->contactId;
    case PreviewRole: return t->preview;
    case TimeRole: return t->lastMessageAt.isValid() ? t->lastMessageAt : t->lastActivityAt;
    case UnreadRole: return t->unread;
    case SectorNameRole: return m_directory ? m_directory->sector(t->sectorId).name : QString();
    case SectorColorRole: return m_directory ? QColor(m_directory->sector(t->sectorId).color) : QColor();
    case StateRole: return t->state;
    case AssigneeRole: return m_directory ? m_directory->userName(t->assigneeId) : QString();
    case TagsRole: return t->tags;
    default: return {};
    }
}

QHash<int, QByteArray> TicketListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "ticketId");
    names.insert(PreviewRole, "preview");
    names.insert(TimeRole, "time");
    names.insert(UnreadRole, "unread");
    return names;
}

} // namespace atende::app::models
