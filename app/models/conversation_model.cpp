#include "app/models/conversation_model.h"

#include "app/core/api_client.h"
#include "app/core/proto_text.h"

#include "atende/api/v1/messages.pb.h"

namespace atende::app::models {

namespace v1 = atende::api::v1;

ConversationModel::ConversationModel(core::ApiClient *api, QObject *parent)
    : QAbstractListModel(parent)
    , m_api(api)
{}

void ConversationModel::setTicket(const QString &ticketId)
{
    beginResetModel();
    m_ticketId = ticketId;
    m_rows.clear();
    m_pages.clear();
    m_index.clear();
    m_hasOlder = m_hasNewer = false;
    m_loadingOlder = m_loadingNewer = false;
    ++m_generation;
    endResetModel();
    if (!ticketId.isEmpty())
        request(Direction::Initial, {});
}

void ConversationModel::jumpToNewest()
{
    setTicket(m_ticketId);
}

void ConversationModel::loadOlder()
{
    if (!m_hasOlder || m_loadingOlder || m_pages.empty())
        return;
    request(Direction::Older, m_pages.front().olderCursor);
}

void ConversationModel::loadNewer()
{
    if (!m_hasNewer || m_loadingNewer || m_pages.empty())
        return;
    request(Direction::Newer, m_pages.back().newerCursor);
}

void ConversationModel::request(Direction direction, const QString &cursor)
{
    if (!m_api)
        return;
    v1::ListMessagesRequest req;
    req.set_ticket_id(m_ticketId.toStdString());
    req.set_limit(quint32(m_pageSize));
    if (direction == Direction::Older) {
        req.set_before(cursor.toStdString());
        m_loadingOlder = true;
    } else if (direction == Direction::Newer) {
        req.set_after(cursor.toStdString());
        m_loadingNewer = true;
    } else {
        m_loadingOlder = m_loadingNewer = true;
    }
    const quint64 generation = m_generation;
    m_api->call<v1::ListMessagesResponse>(
        core::ops::kListMessages, req, this,
        [this, generation, direction](const core::ApiResult<v1::ListMessagesResponse> &r) {
            if (generation != m_generation)
                return; // another ticket meanwhile
            if (direction != Direction::Newer)
                m_loadingOlder = false;
            if (direction != Direction::Older)
                m_loadingNewer = false;
            if (!r.ok()) {
                Q_EMIT loadFailed(r.error->code);
                return;
            }
            received(direction, r.value);
        });
}

void ConversationModel::received(Direction direction, const v1::ListMessagesResponse &response)
{
    std::vector<MessageRow> fresh;
    fresh.reserve(size_t(response.messages_size()));
    for (const v1::Message &m : response.messages()) {
        MessageRow row = MessageRow::fromProto(m);
        if (!m_index.contains(row.id))
            fresh.push_back(std::move(row));
    }
    const Page page{core::qs(response.older_cursor()), core::qs(response.newer_cursor()), int(fresh.size())};
    const int n = int(fresh.size());
    switch (direction) {
    case Direction::Initial:
    case Direction::Newer: {
        if (direction == Direction::Initial)
            m_hasOlder = response.has_older();
        m_hasNewer = response.has_newer();
        if (n > 0) {
            const int first = int(m_rows.size());
            beginInsertRows({}, first, first + n - 1);
            for (MessageRow &row : fresh)
                m_rows.push_back(std::move(row));
            m_pages.push_back(page);
            rebuildIndex();
            endInsertRows();
        }
        if (direction == Direction::Initial)
            Q_EMIT opened(m_ticketId);
        else
            Q_EMIT newerLoaded(n);
        trimFront();
        break;
    }
    case Direction::Older: {
        m_hasOlder = response.has_older();
        if (n > 0) {
            beginInsertRows({}, 0, n - 1);
            for (auto it = fresh.rbegin(); it != fresh.rend(); ++it)
                m_rows.push_front(std::move(*it));
            m_pages.push_front(page);
            rebuildIndex();
            endInsertRows();
            // The old first row may no longer start a day.
            const QModelIndex was = index(n);
            if (was.isValid())
                Q_EMIT dataChanged(was, was, {DayBreakRole});
        }
        Q_EMIT olderLoaded(n);
        trimBack();
        break;
    }
    }
}

void ConversationModel::trimFront()
{
    while (int(m_rows.size()) > m_maxMessages && m_pages.size() > 1) {
        const int n = m_pages.front().count;
        beginRemoveRows({}, 0, n - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + n);
        m_pages.pop_front();
        m_hasOlder = true;
        rebuildIndex();
        endRemoveRows();
    }
}

void ConversationModel::trimBack()
{
    while (int(m_rows.size()) > m_maxMessages && m_pages.size() > 1) {
        const int n = m_pages.back().count;
        const int first = int(m_rows.size()) - n;
        beginRemoveRows({}, first, int(m_rows.size()) - 1);
        m_rows.erase(m_rows.begin() + first, m_rows.end());
        m_pages.pop_back();
        m_hasNewer = true;
        rebuildIndex();
        endRemoveRows();
    }
}

void ConversationModel::rebuildIndex()
{
    m_index.clear();
    m_index.reserve(qsizetype(m_rows.size()));
    for (int i = 0; i < int(m_rows.size()); ++i)
        m_index.insert(m_rows[size_t(i)].id, i);
}

void ConversationModel::applyMessage(const v1::Message &message, bool created)
{
    if (core::qs(message.ticket_id()) != m_ticketId || m_ticketId.isEmpty())
        return;
    MessageRow row = MessageRow::fromProto(message);
    const int existing = rowOf(row.id);
    if (existing >= 0) {
        row.revision = m_rows[size_t(existing)].revision + 1;
        m_rows[size_t(existing)] = std::move(row);
        const QModelIndex at = index(existing);
        Q_EMIT dataChanged(at, at);
        return;
    }
    Q_UNUSED(created);
    if (m_hasNewer || m_loadingNewer)
        return; // the window is not at the end: the page brings it when the view gets there
    // Usually the newest; a late event may belong a little earlier.
    int pos = int(m_rows.size());
    while (pos > 0 && m_rows[size_t(pos - 1)].createdAt > row.createdAt)
        --pos;
    beginInsertRows({}, pos, pos);
    m_rows.insert(m_rows.begin() + pos, std::move(row));
    if (m_pages.empty())
        m_pages.push_back(Page{});
    ++m_pages.back().count;
    rebuildIndex();
    endInsertRows();
    trimFront();
}

const MessageRow *ConversationModel::message(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int ConversationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

bool ConversationModel::dayBreakAt(int row) const
{
    if (row == 0)
        return true;
    return m_rows[size_t(row - 1)].createdAt.date() != m_rows[size_t(row)].createdAt.date();
}

QVariant ConversationModel::data(const QModelIndex &index, int role) const
{
    const MessageRow *m = index.isValid() ? message(index.row()) : nullptr;
    if (!m)
        return {};
    switch (role) {
    case Qt::DisplayRole: return m->body;
    case IdRole: return m->id;
    case KindRole: return m->kind;
    case StatusRole: return m->status;
    case TimeRole: return m->createdAt;
    case DayBreakRole: return dayBreakAt(index.row());
    case RevisionRole: return m->revision;
    case QuotedRole: return m->quotedExcerpt;
    case QuotedKindRole: return m->quotedKind;
    case MediaKindRole: return m->mediaKind;
    case MediaNameRole: return m->mediaFileName;
    case FailureRole: return m->failureReason;
    case AuthorRole: return m->authorUserId;
    case AutomaticRole: return m->automatic;
    default: return {};
    }
}

} // namespace atende::app::models
