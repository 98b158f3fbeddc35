#pragma once
// Plain records of tickets and their events (migration 0009_tickets.sql), shared by the ticket repository,
// the router, the services and the protobuf mapping.

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace atende::server::desk {

struct TicketRecord {
    QUuid id;
    QUuid contactId;
    QUuid connectionId;
    QUuid sectorId;   // null: the tenant's general queue
    QUuid assigneeId; // set in in_service and on_hold
    QString state;    // bot | waiting | in_service | on_hold | closed
    int cycle = 1;
    bool agentInitiated = false;
    QStringList tags;
    QDateTime cycleStartedAt;
    QDateTime queuedAt;
    QDateTime acceptedAt;
    QDateTime closedAt;
    QDateTime lastMessageAt;
    QString lastMessagePreview;
    int unreadCount = 0;
    QDateTime lastActivityAt;
    QDateTime createdAt;
    QDateTime updatedAt;
    QString contactName; // read with the ticket for lists (not stored on it)
    QString contactPhone;
};

struct TicketEventRecord {
    qint64 id = 0;
    QUuid ticketId;
    int cycle = 1;
    QString kind; // created | queued | bot_ended | accepted | assigned | transferred | held | resumed | closed |
                  // reopened | tagged | untagged | first_response
    QUuid actorUserId;
    QString fromState;
    QString toState;
    QUuid fromSectorId;
    QUuid toSectorId;
    QUuid fromUserId;
    QUuid toUserId;
    QString reason;
    QJsonObject data;
    QDateTime at;
};

} // namespace atende::server::desk
