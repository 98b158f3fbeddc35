#pragma once
// Plain values the console's models keep per ticket and per message, converted once from the protobuf
// messages so that data() stays cheap.

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace atende::api::v1 {
class Ticket;
class Message;
} // namespace atende::api::v1

namespace atende::app::models {

struct TicketRow {
    QString id;
    QString contactId;
    QString contactName; // as tickets.* read it with the ticket (no contacts.get per row)
    QString contactPhone;
    QString connectionId;
    QString sectorId;
    QString assigneeId;
    QString state; // bot | waiting | in_service | on_hold | closed
    QString preview;
    QStringList tags;
    int unread = 0;
    int cycle = 1;
    QDateTime lastActivityAt;
    QDateTime lastMessageAt;
    QDateTime queuedAt;

    static TicketRow fromProto(const atende::api::v1::Ticket &t);
    // The contact's name, else "+phone", else empty.
    QString contactLabel() const
    {
        return !contactName.isEmpty()   ? contactName
               : contactPhone.isEmpty() ? QString()
                                        : QLatin1Char('+') + contactPhone;
    }
    // The list order: newest activity first, then id (the server's keyset order).
    bool sortsBefore(const TicketRow &other) const
    {
        if (lastActivityAt != other.lastActivityAt)
            return lastActivityAt > other.lastActivityAt;
        return id > other.id;
    }
};

// The ticket list's filters (tickets.list takes all three; tickets.counts sector and connection). Empty fields
// do not filter.
struct TicketFilter {
    QString sectorId;
    QString connectionId;
    QString tag;

    bool isEmpty() const { return sectorId.isEmpty() && connectionId.isEmpty() && tag.isEmpty(); }
    bool matches(const TicketRow &row) const
    {
        return (sectorId.isEmpty() || row.sectorId == sectorId) &&
               (connectionId.isEmpty() || row.connectionId == connectionId) &&
               (tag.isEmpty() || row.tags.contains(tag));
    }
    bool operator==(const TicketFilter &) const = default;
};

struct MessageRow {
    QString id;
    QString kind;   // inbound | outbound | note | system
    QString status; // received | pending | sent | delivered | read | failed | none
    QString body;
    QString authorUserId;
    QString failureReason;
    QString quotedExcerpt;
    QString quotedKind;
    QString mediaKind;
    QString mediaFileName;
    QString clientRequestId;
    bool automatic = false;
    QDateTime createdAt;
    int revision = 0; // bumped on every change (the delegate's layout cache key)

    static MessageRow fromProto(const atende::api::v1::Message &m);
};

} // namespace atende::app::models
