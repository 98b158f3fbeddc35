#pragma once
// ConversationModel: a bounded window over one ticket's conversation (STYLE.md: Telegram's MessagesSlice).
//
// The window holds whole pages of messages.list, each with the keyset cursors of its ends, so it can grow
// at either end (loadOlder / loadNewer) and drop whole pages from the far end when it exceeds
// maxMessages: opening a 100,000-message conversation costs one page, and scrolling through all of it
// never keeps more than the window. Older pages are asked for by the view from its scroll position (Qt
// calls fetchMore only at the bottom). MessageChanged events update rows in place or append new messages
// when the window shows the newest page.
//
// DayBreakRole says that a row starts a new day (a separator above it); RevisionRole changes with every
// update of a row, for the delegate's layout cache.

#include "app/models/ticket_row.h"

#include <QAbstractListModel>
#include <QPointer>
#include <deque>

namespace atende::api::v1 {
class Message;
class ListMessagesResponse;
} // namespace atende::api::v1
namespace atende::app::core {
class ApiClient;
}

namespace atende::app::models {

class ConversationModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        KindRole,
        StatusRole,
        TimeRole,
        DayBreakRole,
        RevisionRole,
        QuotedRole,
        QuotedKindRole,
        MediaKindRole,
        MediaNameRole,
        FailureRole,
        AuthorRole,
        AutomaticRole,
    };

    explicit ConversationModel(core::ApiClient *api, QObject *parent = nullptr);

    void setPageSize(int n) { m_pageSize = n; }
    void setMaxMessages(int n) { m_maxMessages = n; }
    int maxMessages() const { return m_maxMessages; }

    // Shows `ticketId` from its newest page (empty: nothing).
    void setTicket(const QString &ticketId);
    QString ticketId() const { return m_ticketId; }

    bool hasOlder() const { return m_hasOlder; }
    bool hasNewer() const { return m_hasNewer; }
    bool loading() const { return m_loadingOlder || m_loadingNewer; }
    void loadOlder();
    void loadNewer();
    // Drops the window and shows the newest page again (after sending while scrolled back).
    void jumpToNewest();

    // A message from an event or a send reply; ignored unless it belongs to the shown ticket.
    void applyMessage(const atende::api::v1::Message &message, bool created);

    const MessageRow *message(int row) const;
    int rowOf(const QString &messageId) const { return m_index.value(messageId, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // The first page of a ticket arrived.
    void opened(const QString &ticketId);
    // n rows were put in front of the window (the view keeps its anchor).
    void olderLoaded(int n);
    void newerLoaded(int n);
    void loadFailed(const QString &code);

private:
    struct Page {
        QString olderCursor;
        QString newerCursor;
        int count = 0;
    };
    enum class Direction { Initial, Older, Newer };
    void request(Direction direction, const QString &cursor);
    void received(Direction direction, const atende::api::v1::ListMessagesResponse &page);
    void trimFront();
    void trimBack();
    void rebuildIndex();
    bool dayBreakAt(int row) const;

    QPointer<core::ApiClient> m_api;
    QString m_ticketId;
    quint64 m_generation = 0;
    int m_pageSize = 100;
    int m_maxMessages = 600;
    std::deque<MessageRow> m_rows;
    std::deque<Page> m_pages; // the window's pages, oldest first; live appends join the last one
    QHash<QString, int> m_index;
    bool m_hasOlder = false;
    bool m_hasNewer = false;
    bool m_loadingOlder = false;
    bool m_loadingNewer = false;
};

} // namespace atende::app::models
