#pragma once
// SQL of quick replies (migration 0013_quick_replies.sql). Synchronous; runs inside a tenant transaction.

#include "common/core/result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QUuid>

#include <optional>

namespace atende::server::desk {

struct QuickReplyRecord {
    QUuid id;
    QString scope; // tenant | sector | personal
    QUuid sectorId;
    QUuid ownerId;
    QString shortcut;
    QString title;
    QString body;
    QDateTime createdAt;
    QDateTime updatedAt;
};

// Which replies a caller may use: personal ones of userId, sectors in sectorIds (all sectors when
// allSectors), and the tenant's.
struct QuickReplyReach {
    QUuid userId;
    QList<QUuid> sectorIds;
    bool allSectors = false;
};

struct QuickReplyFilter {
    QString prefix; // of the shortcut
    QString search; // literal, in shortcut, title or body
    QString scope;  // empty: every scope
};

class QuickReplyRepository {
public:
    // Ordered personal, sector, tenant, then shortcut; at most 500.
    static atende::core::Result<QList<QuickReplyRecord>>
    list(QSqlDatabase &db, const QUuid &tenantId, const QuickReplyReach &reach, const QuickReplyFilter &filter);
    static atende::core::Result<QuickReplyRecord> find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id,
                                                       bool forUpdate = false);
    static atende::core::Result<QUuid> insert(QSqlDatabase &db, const QUuid &tenantId, const QuickReplyRecord &r,
                                              const QUuid &createdBy);
    static atende::core::Status update(QSqlDatabase &db, const QUuid &tenantId, const QuickReplyRecord &r);
    static atende::core::Status remove(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id);

    // Variable values for rendering a reply on a ticket written by agentId (see quick_replies.proto).
    // `now` is the instant used for {{greeting}}, {{date}} and {{time}} in the tenant's time zone.
    static atende::core::Result<QHash<QString, QString>> variables(QSqlDatabase &db, const QUuid &tenantId,
                                                                   const QUuid &ticketId, const QUuid &agentId,
                                                                   const QDateTime &now);
};

} // namespace atende::server::desk
