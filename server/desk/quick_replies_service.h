#pragma once
// Quick replies (issue 4 item 5): tenant, sector and personal canned answers with variables.
//
// Who may do what (the operations check the permission first, this service the scope):
//   use (list, render)          everybody with tickets.read: personal ones of their own, their sectors'
//                               (every sector's with tickets.supervise) and the tenant's;
//   manage tenant/sector ones   quick_replies.manage;
//   manage personal ones        their owner only (a manager cannot edit someone's personal reply).
// Changes are audited and announced with QuickReplyChanged to the users who may use the reply.
// Lives on the main thread; coroutines resume there.

#include "common/core/result.h"
#include "server/accounts/account_types.h"
#include "server/desk/quick_reply_repository.h"
#include "server/desk/reply_template.h"

#include <QObject>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::api {
class EventHub;
}

namespace atende::server::desk {

// The caller as this service needs it.
struct ReplyCaller {
    atende::server::accounts::Actor actor;
    bool manage = false;    // holds quick_replies.manage
    bool supervise = false; // holds tickets.supervise (or is an API token): every sector, every ticket
};

struct QuickReplyPatch {
    QString shortcut;
    QString title;
    QString body;
};

class QuickRepliesService : public QObject {
    Q_OBJECT
public:
    QuickRepliesService(db::DbExecutor &db, api::EventHub *hub, QObject *parent = nullptr);

    QCoro::Task<atende::core::Result<QList<QuickReplyRecord>>> list(ReplyCaller caller, QuickReplyFilter filter);
    QCoro::Task<atende::core::Result<QuickReplyRecord>> create(ReplyCaller caller, QuickReplyRecord draft);
    // Empty patch fields keep their value.
    QCoro::Task<atende::core::Result<QuickReplyRecord>> update(ReplyCaller caller, QUuid id, QuickReplyPatch patch);
    QCoro::Task<atende::core::Status> remove(ReplyCaller caller, QUuid id);
    // Fills `body`, or the reply `id`, or the caller's reply with `shortcut` (personal first) for a ticket the
    // caller may see.
    QCoro::Task<atende::core::Result<RenderedText>> render(ReplyCaller caller, QUuid id, QString shortcut, QString body,
                                                           QUuid ticketId);

private:
    db::DbExecutor &m_db;
    api::EventHub *m_hub;
};

} // namespace atende::server::desk
