#pragma once
// Plain records of messages (migrations 0009_tickets.sql, 0011_messages.sql) shared by the message
// repository, the inbox, the sender, search and history, and the protobuf mapping.

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace atende::server::desk {

struct MediaInfo {
    QString kind; // image | video | audio | voice | document | sticker | location | contact; empty: none
    QString mime;
    QString fileName;
    qint64 size = 0;
    QString sha256;
    int durationS = 0;
    int width = 0;
    int height = 0;
};

struct QuotedRef {
    QUuid id;
    QString kind;
    QString excerpt; // first 120 characters
    QUuid authorUserId;
};

struct MessageRecord {
    QUuid id;
    QUuid ticketId;
    int cycle = 1;
    QUuid contactId;
    QUuid connectionId;
    QString kind; // inbound | outbound | note | system
    QUuid authorUserId;
    bool automatic = false;
    QString body;
    QString status; // received | pending | sent | delivered | read | failed | none
    QString failureReason;
    QString externalId;
    QuotedRef quoted; // id null: quotes nothing
    QList<QUuid> mentions;
    MediaInfo media;
    QString clientRequestId;
    QDateTime createdAt;
    qint64 createdUs = 0; // created_at in microseconds since the epoch: the exact keyset value
    QDateTime sentAt;
    QDateTime deliveredAt;
    QDateTime readAt;
};

// Keyset position (created_at, id); microseconds keep PostgreSQL's precision (QDateTime has milliseconds).
struct MessageCursor {
    qint64 createdUs = 0;
    QUuid id;
};

struct MessagePageRequest {
    std::optional<MessageCursor> before;
    std::optional<MessageCursor> after;
    QUuid around;
    int limit = 50;
};

struct MessagePage {
    QList<MessageRecord> messages; // ascending (created_at, id)
    bool hasOlder = false;
    bool hasNewer = false;
};

// What the message operations need of a ticket (the tickets module owns the full record).
struct TicketRef {
    QUuid id;
    QUuid contactId;
    QUuid connectionId;
    QUuid sectorId;
    QUuid assigneeId;
    QString state;
    int cycle = 1;
};

// An inbound message as a connector hands it to the Inbox.
struct InboundMessage {
    QUuid tenantId;
    QUuid connectionId;
    QString senderKind;  // wa_phone | wa_lid
    QString senderValue; // the phone digits or the LID
    // The sender's other identity when the connector knows both (WhatsApp: the phone and the LID of one
    // person). Empty: none. Ingest makes both identities point to the same contact (never merges two).
    QString alsoKind;
    QString alsoValue;
    QString displayName; // the sender's push name; names a new contact
    QString externalId;  // the connector's message id (idempotency key, N2)
    QString body;
    QString quotedExternalId;
    MediaInfo media;
    QDateTime timestamp; // the sender's time; invalid or in the future: now
};

} // namespace atende::server::desk
