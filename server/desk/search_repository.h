#pragma once
// Full-text search (PRODUCT.md N15) and a contact's history (N12), both restricted by the caller's
// TicketScope inside the tenant transaction (Row-Level Security binds the tenant).
//
// Search uses websearch_to_tsquery('atende_pt', text) — Portuguese stemming over unaccented words — against
// the stored tsvectors of messages and contacts; contacts also match by a prefix of lower(name) and of the
// phone digits. Snippets come from ts_headline with control-character markers that are HTML-escaped and
// turned into <mark>...</mark> here, so a message body can never inject markup.

#include "common/core/result.h"
#include "server/desk/message_types.h"
#include "server/desk/ticket_repository.h"
#include "server/desk/ticket_scope.h"

#include <QSqlDatabase>

namespace atende::server::desk {

struct SearchQuery {
    QString text;
    int limit = 20;
    bool messages = true;
    bool notes = true;
    bool contacts = true;
};

struct SearchHitRecord {
    QString kind; // message | note | contact
    QUuid ticketId;
    QUuid messageId;
    QUuid contactId;
    QString contactName;
    QString contactPhone;
    QString snippet; // escaped HTML with <mark>
    QDateTime createdAt;
    double rank = 0;
};

struct HistoryTicketRecord {
    QUuid id;
    QUuid connectionId;
    QUuid sectorId;
    QUuid assigneeId;
    QString state;
    int cycle = 1;
    QDateTime createdAt;
    QDateTime closedAt;
};

struct HistoryPage {
    QList<HistoryTicketRecord> tickets;
    QList<MessageRecord> messages; // newest first
    std::optional<MessageCursor> next;
};

class SearchRepository {
public:
    // Messages and/or notes of visible tickets, newest first.
    static atende::core::Result<QList<SearchHitRecord>> messages(QSqlDatabase &db, const QUuid &tenantId,
                                                                 const TicketScope &scope, const SearchQuery &query);
    // The statement messages() runs (empty when no kind is asked for), restricted to the ids `among` when
    // set (the matches of a rare word); tests check its plan.
    static SqlStatement messagesStatement(const QUuid &tenantId, const TicketScope &scope, const SearchQuery &query,
                                          const std::optional<QList<QUuid>> &among = std::nullopt);
    // Live (not merged) contacts: name and phone prefix matches first, then by text rank.
    static atende::core::Result<QList<SearchHitRecord>> contacts(QSqlDatabase &db, const QUuid &tenantId,
                                                                 const SearchQuery &query);
    // The contact's visible tickets and one page of their messages, newest first.
    static atende::core::Result<HistoryPage> history(QSqlDatabase &db, const QUuid &tenantId, const TicketScope &scope,
                                                     const QUuid &contactId, const std::optional<MessageCursor> &before,
                                                     int limit);
};

// ts_headline output with \x01 / \x02 around matches -> escaped HTML with <mark>...</mark>.
QString snippetHtml(const QString &marked);

} // namespace atende::server::desk
