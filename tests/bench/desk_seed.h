#pragma once
// Bulk data for the desk benchmark, written straight into the benchmark server's embedded database as its
// superuser (seeding is not what is measured): `tickets` tickets of as many contacts on one test connection,
// spread over the tenant's sectors and states (80% closed, 10% waiting, 8% in service, 2% on hold), and
// `messages` messages: one "long" conversation of `longConversation` messages, the rest spread evenly.

#include <QString>
#include <QUuid>

namespace atende::bench {

struct DeskSeed {
    QUuid tenantId;
    QUuid connectionId;
    QUuid longTicketId;
    int tickets = 0;
    qint64 messages = 0;
    double seconds = 0;
};

// dataDir: the server's --data-dir; slug: the tenant made by `admin demo --slug`. agentId: the user the
// in-service tickets are assigned to.
DeskSeed seedDesk(const QString &dataDir, const QString &slug, const QString &agentEmail, int tickets,
                  qint64 messages, int longConversation, QString *error);

// Appends a few emoji (default-emoji, text-default with U+FE0F, a skin tone, a flag, a ZWJ sequence) to every
// `every`-th message of the long conversation and to the previews of every `every`-th ticket.
bool addEmoji(const QString &dataDir, const QString &slug, int every, QString *error);

} // namespace atende::bench
